/* image/iso.c: the hybrid ISO: ISO 9660 with El Torito boot entries for BIOS and
 * UEFI and an MBR that lets the same file boot when written to a USB stick. */
#include "iso.h"

#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grub.h"
#include "tools.h"
#include "util.h"

#define ISO_BIOS_IMAGE "boot/grub/bios.img"
#define ISO_EFI_IMAGE "boot/grub/efi.img"
#define ISO_HYBRID_MBR "/usr/lib/grub/i386-pc/boot_hybrid.img"
#define FAT_SECTOR 512
#define EFI_IMAGE_SLACK (64 * 1024)     /* room for FAT tables and directories */
#define EFI_VOLUME_SERIAL "0x414e5649"  /* "ANVI": fixed, for reproducible images */

/* A FAT image holding EFI/BOOT/BOOTX64.EFI: the El Torito UEFI boot image. */
static int make_efi_fat(const char *efi_binary, const char *out)
{
    static const char *const needed[] = {"mformat", "mmd", "mcopy", NULL};
    struct stat st;
    char sectors[32];
    int ret;

    if (tools_need(needed) < 0 || stat(efi_binary, &st) < 0)
        return -1;
    snprintf(sectors, sizeof sectors, "%lld",
             ((long long)st.st_size + EFI_IMAGE_SLACK) / FAT_SECTOR + 1);
    unlink(out);
    char *fmt[] = {"mformat", "-i", (char *)out, "-C", "-T", sectors, "-h", "2", "-s", "32",
                   "-N", EFI_VOLUME_SERIAL, "-v", "ANVIL_EFI", "::", NULL};
    char *dirs[] = {"mmd", "-i", (char *)out, "::/EFI", "::/EFI/BOOT", NULL};
    char *copy[] = {"mcopy", "-i", (char *)out, (char *)efi_binary,
                    "::/EFI/BOOT/BOOTX64.EFI", NULL};
    ret = util_run_logged(fmt) || util_run_logged(dirs) || util_run_logged(copy);
    if (ret)
        util_err("making the EFI boot image %s failed", out);
    return ret ? -1 : 0;
}

static int run_xorriso(const char *label, const char *stage, const char *out)
{
    static const char *const needed[] = {"xorriso", NULL};
    char dates[32];
    char *argv[] = {
        "xorriso", "-as", "mkisofs", "-r", "-V", (char *)label,
        /* every file and folder gets the build time, not its time on this disk */
        "--set_all_file_dates", dates,
        "-o", (char *)out,
        /* BIOS: El Torito no-emulation GRUB core; boot_hybrid.img for USB sticks */
        "-b", ISO_BIOS_IMAGE, "-no-emul-boot", "-boot-load-size", "4",
        "-boot-info-table", "--grub2-boot-info", "--grub2-mbr", ISO_HYBRID_MBR,
        /* UEFI: the FAT image as El Torito alternative entry and as a partition */
        "--efi-boot", ISO_EFI_IMAGE, "-efi-boot-part", "--efi-boot-image",
        "--protective-msdos-label", (char *)stage, NULL,
    };
    int st;

    snprintf(dates, sizeof dates, "=%lld", util_source_date_epoch());
    if (tools_need(needed) < 0 || tools_need_file(ISO_HYBRID_MBR) < 0)
        return -1;
    st = util_run_logged(argv);
    if (st != 0)
        util_err("xorriso failed (status %d)", st);
    return st == 0 ? 0 : -1;
}

int iso_build(const char *label, const char *stage, const char *efi_binary, const char *tmpdir,
              const char *out)
{
    char *bios = util_path_join(stage, ISO_BIOS_IMAGE);
    char *efi_fat = util_path_join(stage, ISO_EFI_IMAGE);
    int ret = -1;

    util_info("  ISO     volume %s", label);
    if (grub_make_bios_eltorito(label, tmpdir, bios) == 0 &&
        make_efi_fat(efi_binary, efi_fat) == 0)
        ret = run_xorriso(label, stage, out);
    /* the ISO's boot images must not leak into other formats' trees */
    unlink(bios);
    unlink(efi_fat);
    free(bios);
    free(efi_fat);
    return ret;
}
