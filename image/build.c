/* image/build.c: one build: manifest -> kernel, initfs, grub.cfg, ISO, written
 * into the output folder only when every step has succeeded. */
#define _GNU_SOURCE
#include "build.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grub.h"
#include "disk.h"
#include "initfs.h"
#include "iso.h"
#include "kbuild.h"
#include "pkgbuild.h"
#include "cache.h"
#include "util.h"

char *build_iso_path(const struct manifest *m, const char *outdir)
{
    return xasprintf("%s/%s.iso", outdir, m->image_name);
}

char *build_disk_path(const struct manifest *m, const char *outdir)
{
    return xasprintf("%s/%s.img", outdir, m->image_name);
}

/* The staged files that the image files are made of. */
static const char *const staged[] = {"boot/" BUILD_KERNEL_NAME, "boot/" BUILD_INITFS_NAME,
                                     "boot/grub/" BUILD_GRUBCFG_NAME};

char *build_label(const struct manifest *m, const char *stage)
{
    struct sha256 key;
    char hex[SHA256_HEX_SIZE];

    /* from what goes into the image only, so the same system built from
     * another folder or by another mkimage binary gets the same label */
    sha256_init(&key);
    cache_key_str(&key, m->image_name);
    for (size_t i = 0; i < sizeof staged / sizeof staged[0]; i++) {
        char *path = util_path_join(stage, staged[i]);
        cache_key_file(&key, path);
        free(path);
    }
    sha256_hex(&key, hex);
    /* 11 characters, upper case: the longest label a FAT volume can carry */
    for (char *c = hex; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    return xasprintf("ANV%.8s", hex);
}

/* Write data to dir/rel, making the folders on the way. */
static int stage_file(const char *dir, const char *rel, const void *data, size_t len)
{
    char *path = util_path_join(dir, rel);
    char *parent = util_dirname(path);
    int ret = util_mkdirs(parent, 0755);

    if (ret == 0)
        ret = util_write_scratch(path, data, len, 0644);
    free(parent);
    free(path);
    return ret;
}

static int stage_tree(const struct manifest *m, const char *srcroot, const char *tmp,
                      const char *stage)
{
    struct strbuf initfs = {0}, cfg = {0};
    struct pkg_outputs programs = {0};
    char *obj = util_path_join(tmp, "obj");
    char *elf = xasprintf("%s/boot/%s", stage, BUILD_KERNEL_NAME);
    char *elf_dir = util_path_join(stage, "boot");
    int ret = -1;

    if (util_mkdirs(stage, 0755) < 0 || util_mkdirs(elf_dir, 0755) < 0)
        goto out;
    if (kbuild_kernel(m, srcroot, obj, elf) < 0 || pkgbuild_all(m, srcroot, obj, &programs) < 0)
        goto out;
    util_info("  INITFS  %zu files, %zu programs", m->files_len, programs.len);
    if (initfs_build(m, &programs, tmp, &initfs) < 0 ||
        stage_file(stage, "boot/" BUILD_INITFS_NAME, initfs.buf, initfs.len) < 0)
        goto out;
    grub_config(m, &cfg);
    ret = stage_file(stage, "boot/grub/" BUILD_GRUBCFG_NAME, cfg.buf, cfg.len);
out:
    pkgbuild_free(&programs);
    sb_free(&initfs);
    sb_free(&cfg);
    free(obj);
    free(elf);
    free(elf_dir);
    return ret;
}

/* Move one finished output into outdir and print where it went. */
static int publish_one(const char *tmp, const char *rel, char *to, int *ret)
{
    char *from = util_path_join(tmp, rel);

    if (*ret == 0)
        *ret = util_rename_into(from, to);
    if (*ret == 0)
        printf("%s\n", to);
    free(from);
    free(to);
    return *ret;
}

static int publish(const struct manifest *m, const char *tmp, const char *outdir)
{
    int ret = 0;

    publish_one(tmp, "stage/boot/" BUILD_KERNEL_NAME, util_path_join(outdir, BUILD_KERNEL_NAME),
                &ret);
    publish_one(tmp, "stage/boot/" BUILD_INITFS_NAME, util_path_join(outdir, BUILD_INITFS_NAME),
                &ret);
    publish_one(tmp, "stage/boot/grub/" BUILD_GRUBCFG_NAME,
                util_path_join(outdir, BUILD_GRUBCFG_NAME), &ret);
    if (m->formats & MF_FORMAT_ISO)
        publish_one(tmp, "image.iso", build_iso_path(m, outdir), &ret);
    if (m->formats & MF_FORMAT_DISK)
        publish_one(tmp, "image.img", build_disk_path(m, outdir), &ret);
    return ret;
}

#define BUILD_STAMP ".stamp"  /* in outdir: the key of what is published there */

/* Everything the image files depend on beyond the staged tree's own bytes. */
static void image_key(const struct manifest *m, const char *label, const char *stage,
                      char hex[SHA256_HEX_SIZE])
{
    struct sha256 key;
    char formats[16];

    sha256_init(&key);
    cache_key_file(&key, "/proc/self/exe");     /* a new mkimage may lay images out anew */
    cache_key_str(&key, label);
    snprintf(formats, sizeof formats, "%u", m->formats);
    cache_key_str(&key, formats);
    cache_key_str(&key, m->image_name);
    for (size_t i = 0; i < sizeof staged / sizeof staged[0]; i++) {
        char *path = util_path_join(stage, staged[i]);
        cache_key_file(&key, path);
        free(path);
    }
    cache_key_tool(&key, "grub-mkimage");
    cache_key_tool(&key, "xorriso");
    cache_key_tool(&key, "mformat");
    sha256_hex(&key, hex);
}

/* True when outdir already holds exactly what this build would publish. */
static bool up_to_date(const struct manifest *m, const char *outdir, const char *hex)
{
    char *stamp = util_path_join(outdir, BUILD_STAMP);
    char *iso = build_iso_path(m, outdir);
    char *disk = build_disk_path(m, outdir);
    char *old = util_read_file(stamp, NULL);
    bool same = old && !strcmp(old, hex) && (!(m->formats & MF_FORMAT_ISO) || util_is_file(iso)) &&
                (!(m->formats & MF_FORMAT_DISK) || util_is_file(disk));

    for (size_t i = 0; same && i < 3; i++) {
        static const char *const names[] = {BUILD_KERNEL_NAME, BUILD_INITFS_NAME,
                                            BUILD_GRUBCFG_NAME};
        char *path = util_path_join(outdir, names[i]);
        same = util_is_file(path);
        if (same)
            printf("%s\n", path);
        free(path);
    }
    if (same && (m->formats & MF_FORMAT_ISO))
        printf("%s\n", iso);
    if (same && (m->formats & MF_FORMAT_DISK))
        printf("%s\n", disk);
    free(disk);
    free(old);
    free(stamp);
    free(iso);
    return same;
}

/* The FAT32 root volume for the disk's root partition, or NULL (left empty). */
static const char *root_image(const struct manifest *m, const char *tmp)
{
    static char path[4096];

    if (!MF_ROOT_IS_FAT(m))
        return NULL;
    snprintf(path, sizeof path, "%s/%s", tmp, INITFS_LIVE_IMAGE);
    return path;
}

static int make_images(const struct manifest *m, const char *label, const char *tmp,
                       const char *stage, const char *outdir, const char *hex)
{
    char *iso = util_path_join(tmp, "image.iso");
    char *disk = util_path_join(tmp, "image.img");
    char *efi = util_path_join(tmp, "BOOTX64.EFI");
    char *stamp = util_path_join(outdir, BUILD_STAMP);
    int ret = -1;

    if (grub_make_efi(label, tmp, efi) < 0)
        goto out;
    if ((m->formats & MF_FORMAT_ISO) && iso_build(label, stage, efi, tmp, iso) < 0)
        goto out;
    if ((m->formats & MF_FORMAT_DISK)) {
        util_info("  DISK    GPT, volume %s", label);
        if (disk_build(label, stage, efi, root_image(m, tmp), tmp, disk) < 0)
            goto out;
    }
    unlink(stamp);      /* half-published is never up to date */
    ret = publish(m, tmp, outdir);
    if (ret == 0)
        util_write_atomic(stamp, hex, strlen(hex), 0644);
out:
    free(iso);
    free(disk);
    free(efi);
    free(stamp);
    return ret;
}

int build_image(const struct manifest *m, const char *srcroot, const char *outdir)
{
    char *tmp = xasprintf("%s/.build-%d", outdir, (int)getpid());
    char *stage = util_path_join(tmp, "stage");
    char *label = NULL;
    char hex[SHA256_HEX_SIZE];
    int ret = -1;

    util_info("mkimage: building %s (variant %s) into %s", m->image_name, m->variant, outdir);
    if (util_mkdirs(tmp, 0755) < 0 || stage_tree(m, srcroot, tmp, stage) < 0)
        goto out;
    label = build_label(m, stage);
    image_key(m, label, stage, hex);
    if (up_to_date(m, outdir, hex)) {
        util_info("  UP-TO-DATE  %s", outdir);
        ret = 0;
        goto out;
    }
    ret = make_images(m, label, tmp, stage, outdir, hex);
out:
    util_remove_tree(tmp);
    free(tmp);
    free(stage);
    free(label);
    return ret;
}
