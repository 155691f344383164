/* image/grub.h: GRUB's part of an image: the generated grub.cfg, the small
 * embedded config that finds it, and the BIOS and UEFI core images. */
#ifndef ANVIL_IMAGE_GRUB_H
#define ANVIL_IMAGE_GRUB_H

#include "manifest.h"
#include "util.h"

#define GRUB_KERNEL_PATH "/boot/anvil.elf"
#define GRUB_INITFS_PATH "/boot/initfs.cpio"
#define GRUB_BOOT_IMG "/usr/lib/grub/i386-pc/boot.img"  /* the MBR code */

/* The kernel command line the manifest asks for (grub.cfg and -append). */
char *grub_cmdline(const struct manifest *m);
/* grub.cfg: consoles, one menu entry loading the kernel and the initfs. */
void grub_config(const struct manifest *m, struct strbuf *out);
/* Core images whose embedded config finds the volume labelled label:
 * the El Torito (i386-pc) image for BIOS and BOOTX64.EFI for UEFI. */
int grub_make_bios_eltorito(const char *label, const char *tmpdir, const char *out);
/* The i386-pc core.img for a BIOS boot partition (see image/disk.c). */
int grub_make_bios_disk(const char *label, const char *tmpdir, const char *out);
int grub_make_efi(const char *label, const char *tmpdir, const char *out);

#endif
