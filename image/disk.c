/* image/disk.c: the raw disk image (formats = ["disk"]): a GPT disk with GRUB in
 * a BIOS boot partition and on a FAT32 EFI system partition, for BIOS and UEFI. */
#define _GNU_SOURCE
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gpt.h"
#include "grub.h"
#include "tools.h"
#include "util.h"

#define DISK_MIB (1024u * 1024u / GPT_SECTOR)   /* sectors; partitions start on MiB bounds */
#define DISK_LABEL_MAX 11u                     /* FAT BS_VolLab (Microsoft FAT spec) */
#define DISK_COPY_CHUNK (1024u * 1024u)        /* bytes per read when copying the ESP */
#define DISK_GRUBCFG_PATH "/boot/grub/grub.cfg"  /* grub.c's prefix /boot/grub */

/* GRUB 2 include/grub/i386/pc/boot.h: where grub-bios-setup patches boot.img... */
#define BOOT_KERNEL_SECTOR 0x5c               /* GRUB_BOOT_MACHINE_KERNEL_SECTOR: u64 LBA */
/* ...and diskboot.S, core.img's first sector: its last block list entry
 * {u64 start, u16 sectors, u16 segment} ends at 0x200 (GRUB_BOOT_MACHINE_LIST_SIZE 12). */
#define CORE_LIST_START (0x200 - 12)
#define CORE_LIST_SECTORS (0x200 - 4)

enum disk_content { DISK_BIOS_CORE, DISK_ESP, DISK_ROOT };

/* The layout, in table order. Sizes in MiB; a new partition is one more line. */
static const struct {
    const char *name;
    const char *type;
    uint64_t mib;
    enum disk_content content;
} disk_layout[] = {
    {"BIOS boot", GPT_TYPE_BIOS_BOOT, 1, DISK_BIOS_CORE},
    {"EFI system", GPT_TYPE_EFI_SYSTEM, 64, DISK_ESP},
    {"Anvil root", GPT_TYPE_ANVIL_ROOT, 32, DISK_ROOT},   /* or the live root volume's size */
};
#define DISK_NPARTS (sizeof disk_layout / sizeof disk_layout[0])

/* One disk_build: inputs, scratch files and the planned table. */
struct disk_job {
    const char *label;
    const char *stage;
    const char *efi_binary;
    const char *root_img;              /* the live root volume, or NULL: an empty partition */
    uint64_t root_mib;
    uint64_t esp_mib;                  /* at least the layout's, more for a big initfs */
    char *core_path;                   /* tmpdir: GRUB's i386-pc core.img */
    char *esp_path;                    /* tmpdir: the FAT32 ESP, copied in whole */
    char *efi_made;                    /* tmpdir: BOOTX64.EFI when we made it */
    char *core;                        /* core.img, patched */
    size_t core_len;
    uint8_t mbr_code[GPT_MBR_CODE_SIZE];
    struct gpt_part parts[DISK_NPARTS];
    uint64_t sectors;
};

static int check_label(const char *label)
{
    size_t n = strlen(label);

    if (n == 0 || n > DISK_LABEL_MAX ||
        strspn(label, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n) {
        util_err("disk: label '%s' must be 1 to %u of A-Z, 0-9, _", label, DISK_LABEL_MAX);
        return -1;
    }
    return 0;
}

static void plan_layout(struct disk_job *j)
{
    uint64_t lba = DISK_MIB;

    for (size_t i = 0; i < DISK_NPARTS; i++) {
        uint64_t mib = disk_layout[i].mib;
        if (disk_layout[i].content == DISK_ROOT && j->root_mib)
            mib = j->root_mib;
        if (disk_layout[i].content == DISK_ESP && j->esp_mib > mib)
            mib = j->esp_mib;
        j->parts[i] = (struct gpt_part){
            .name = disk_layout[i].name,
            .type = disk_layout[i].type,
            .first_lba = lba,
            .last_lba = lba + mib * DISK_MIB - 1,
        };
        lba += mib * DISK_MIB;
    }
    j->sectors = lba + DISK_MIB;  /* the tail holds the backup GPT (33 sectors) */
}

static const struct gpt_part *part_of(const struct disk_job *j, enum disk_content c)
{
    for (size_t i = 0; i < DISK_NPARTS; i++) {
        if (disk_layout[i].content == c)
            return &j->parts[i];
    }
    return NULL;
}

static uint64_t part_bytes(const struct gpt_part *p)
{
    return (p->last_lba - p->first_lba + 1) * GPT_SECTOR;
}

static void put_le64(void *dst, uint64_t v)
{
    uint8_t *b = dst;

    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static unsigned get_le16(const void *src)
{
    const uint8_t *b = src;

    return b[0] | (unsigned)b[1] << 8;
}

/* core.img for the BIOS boot partition, its block list pointed at the sectors
 * after its first (what grub-bios-setup would do). */
static int make_core(struct disk_job *j, const char *tmpdir)
{
    const struct gpt_part *p = part_of(j, DISK_BIOS_CORE);
    size_t sectors;

    j->core_path = util_path_join(tmpdir, "disk-core.img");
    if (grub_make_bios_disk(j->label, tmpdir, j->core_path) < 0)
        return -1;
    j->core = util_read_file(j->core_path, &j->core_len);
    if (!j->core) {
        util_err("cannot read %s: %s", j->core_path, strerror(errno));
        return -1;
    }
    sectors = (j->core_len + GPT_SECTOR - 1) / GPT_SECTOR;
    if (j->core_len > part_bytes(p)) {
        util_err("%s: %zu bytes do not fit the %llu-byte BIOS boot partition", j->core_path,
                 j->core_len, (unsigned long long)part_bytes(p));
        return -1;
    }
    if (j->core_len < GPT_SECTOR || get_le16(j->core + CORE_LIST_SECTORS) != sectors - 1) {
        util_err("%s: unexpected layout: its first sector's block list does not cover "
                 "the %zu sectors after it", j->core_path, sectors - 1);
        return -1;
    }
    put_le64(j->core + CORE_LIST_START, p->first_lba + 1);
    return 0;
}

/* The MBR's boot code: boot.img, told where core.img starts. */
static int make_mbr_code(struct disk_job *j)
{
    size_t len = 0;
    char *img;

    if (tools_need_file(GRUB_BOOT_IMG) < 0)
        return -1;
    img = util_read_file(GRUB_BOOT_IMG, &len);
    if (!img || len != GPT_SECTOR) {
        util_err("%s: %s", GRUB_BOOT_IMG, img ? "is not one 512-byte sector" : strerror(errno));
        free(img);
        return -1;
    }
    memcpy(j->mbr_code, img, GPT_MBR_CODE_SIZE);
    put_le64(j->mbr_code + BOOT_KERNEL_SECTOR, part_of(j, DISK_BIOS_CORE)->first_lba);
    free(img);
    return 0;
}

/* Stage files the ESP carries, and the folder each goes into. The ISO-only
 * boot/grub/bios.img and efi.img stay out. */
static const char *const esp_files[][2] = {
    {GRUB_KERNEL_PATH, "::/boot/"},
    {GRUB_INITFS_PATH, "::/boot/"},
    {DISK_GRUBCFG_PATH, "::/boot/grub/"},
};
#define ESP_NFILES (sizeof esp_files / sizeof esp_files[0])

#define ESP_SLACK_MIB 16   /* FAT overhead and GRUB's EFI binary beside the staged files */

static int check_inputs(struct disk_job *j)
{
    uint64_t bytes = 0;
    struct stat st;

    if (j->efi_binary && !util_is_file(j->efi_binary)) {
        util_err("disk: %s is missing", j->efi_binary);
        return -1;
    }
    for (size_t i = 0; i < ESP_NFILES; i++) {
        char *path = xasprintf("%s%s", j->stage, esp_files[i][0]);
        bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
        if (!ok)
            util_err("disk: %s is missing", path);
        else
            bytes += (uint64_t)st.st_size;
        free(path);
        if (!ok)
            return -1;
    }
    /* a live root makes the initfs big: the ESP grows to hold it */
    j->esp_mib = bytes / (DISK_MIB * GPT_SECTOR) + ESP_SLACK_MIB;
    return 0;
}

/* An empty file of size bytes, sparse. */
static int make_sparse(const char *path, uint64_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
        util_err("cannot create %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return close(fd);
}

/* mformat: FAT32 over the whole partition, labelled for GRUB's search. */
static int format_esp(const struct disk_job *j)
{
    const struct gpt_part *p = part_of(j, DISK_ESP);
    uint64_t h = util_fnv1a(UTIL_FNV_INIT, j->label, strlen(j->label));
    char *sectors = xasprintf("%llu", (unsigned long long)(p->last_lba - p->first_lba + 1));
    char *hidden = xasprintf("%llu", (unsigned long long)p->first_lba);
    char *serial = xasprintf("%08X", (unsigned)(h ^ (h >> 32)));  /* fixed per label */
    char *argv[] = {"mformat", "-i", j->esp_path, "-F", "-T", sectors, "-H", hidden,
                    "-N", serial, "-v", (char *)j->label, "::", NULL};
    int st = util_run_logged(argv);

    free(sectors);
    free(hidden);
    free(serial);
    return st == 0 ? 0 : -1;
}

static int fill_esp(const struct disk_job *j, const char *efi)
{
    char *dirs[] = {"mmd", "-i", j->esp_path, "::/EFI", "::/EFI/BOOT", "::/boot",
                    "::/boot/grub", NULL};
    char *boot[] = {"mcopy", "-i", j->esp_path, (char *)efi, "::/EFI/BOOT/BOOTX64.EFI", NULL};

    if (util_run_logged(dirs) != 0 || util_run_logged(boot) != 0)
        return -1;
    for (size_t i = 0; i < ESP_NFILES; i++) {
        char *src = xasprintf("%s%s", j->stage, esp_files[i][0]);
        char *argv[] = {"mcopy", "-i", j->esp_path, src, (char *)esp_files[i][1], NULL};
        int st = util_run_logged(argv);
        free(src);
        if (st != 0)
            return -1;
    }
    return 0;
}

/* The EFI system partition as a file of its own, copied into the disk later. */
static int make_esp(struct disk_job *j, const char *tmpdir)
{
    static const char *const needed[] = {"mformat", "mmd", "mcopy", NULL};
    const char *efi = j->efi_binary;

    if (tools_need(needed) < 0)
        return -1;
    if (!efi) {
        j->efi_made = util_path_join(tmpdir, "disk-BOOTX64.EFI");
        if (grub_make_efi(j->label, tmpdir, j->efi_made) < 0)
            return -1;
        efi = j->efi_made;
    }
    j->esp_path = util_path_join(tmpdir, "disk-esp.img");
    if (make_sparse(j->esp_path, part_bytes(part_of(j, DISK_ESP))) < 0)
        return -1;
    if (format_esp(j) < 0 || fill_esp(j, efi) < 0) {
        util_err("making the EFI system partition %s failed", j->esp_path);
        return -1;
    }
    return 0;
}

static bool all_zero(const char *p, size_t n)
{
    return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* Copy the file src into fd at byte off, skipping zero runs (fd reads zero
 * there already), so the image stays sparse. */
static int copy_sparse(int fd, const char *path, const char *src, uint64_t off)
{
    char *buf = xmalloc(DISK_COPY_CHUNK);
    int in = open(src, O_RDONLY | O_CLOEXEC);
    ssize_t n = 0;
    int ret = in < 0 ? -1 : 0;

    while (ret == 0 && (n = read(in, buf, DISK_COPY_CHUNK)) > 0) {
        if (!all_zero(buf, (size_t)n))
            ret = util_pwrite_all(fd, path, buf, (size_t)n, off);
        off += (uint64_t)n;
    }
    if (in < 0 || n < 0) {
        util_err("cannot read %s: %s", src, strerror(errno));
        ret = -1;
    }
    if (in >= 0)
        close(in);
    free(buf);
    return ret;
}

/* Everything into tmp: a sparse file of the disk's size, the GPT, core.img, the ESP. */
static int write_disk(const struct disk_job *j, const char *tmp)
{
    struct gpt_layout l = {
        .sectors = j->sectors, .seed = j->label, .boot_code = j->mbr_code,
        .parts = j->parts, .nparts = DISK_NPARTS,
    };
    uint64_t core_off = part_of(j, DISK_BIOS_CORE)->first_lba * GPT_SECTOR;
    uint64_t esp_off = part_of(j, DISK_ESP)->first_lba * GPT_SECTOR;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    int ret = -1;

    if (fd < 0 || ftruncate(fd, (off_t)(j->sectors * GPT_SECTOR)) < 0) {
        util_err("cannot create %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (gpt_write(fd, tmp, &l) < 0 || util_pwrite_all(fd, tmp, j->core, j->core_len, core_off) < 0 ||
        copy_sparse(fd, tmp, j->esp_path, esp_off) < 0)
        goto out;
    if (j->root_img &&
        copy_sparse(fd, tmp, j->root_img, part_of(j, DISK_ROOT)->first_lba * GPT_SECTOR) < 0)
        goto out;
    if (fsync(fd) < 0) {
        util_err("cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    ret = 0;
out:
    if (fd >= 0 && close(fd) < 0 && ret == 0) {
        util_err("cannot write %s: %s", tmp, strerror(errno));
        ret = -1;
    }
    return ret;
}

static void job_free(struct disk_job *j)
{
    const char *scratch[] = {j->core_path, j->esp_path, j->efi_made};

    for (size_t i = 0; i < sizeof scratch / sizeof scratch[0]; i++) {
        if (scratch[i])
            unlink(scratch[i]);
    }
    free(j->core_path);
    free(j->esp_path);
    free(j->efi_made);
    free(j->core);
}

/* The live root volume's size in MiB (the partition's), or 0 without one. */
static int root_size(struct disk_job *j)
{
    struct stat st;

    if (!j->root_img)
        return 0;
    if (stat(j->root_img, &st) < 0) {
        util_err("disk: %s: %s", j->root_img, strerror(errno));
        return -1;
    }
    j->root_mib = ((uint64_t)st.st_size + DISK_MIB * GPT_SECTOR - 1) / (DISK_MIB * GPT_SECTOR);
    return 0;
}

int disk_build(const char *label, const char *stage, const char *efi_binary,
               const char *root_img, const char *tmpdir, const char *out)
{
    struct disk_job j = {.label = label, .stage = stage, .efi_binary = efi_binary,
                         .root_img = root_img};
    char *tmp = xasprintf("%s.tmp-%d", out, (int)getpid());
    int ret = -1;

    if (check_label(label) < 0 || check_inputs(&j) < 0 || root_size(&j) < 0)
        goto out;
    plan_layout(&j);
    if (make_mbr_code(&j) < 0 || make_core(&j, tmpdir) < 0 || make_esp(&j, tmpdir) < 0)
        goto out;
    unlink(tmp);  /* a leftover of a killed build with our pid */
    if (write_disk(&j, tmp) < 0 || util_rename_into(tmp, out) < 0) {
        unlink(tmp);
        goto out;
    }
    ret = 0;
out:
    job_free(&j);
    free(tmp);
    return ret;
}
