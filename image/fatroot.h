/* image/fatroot.h: the root tree as a FAT32 volume (image.root = "live" or
 * "disk"): the file fatd serves from RAM (in the initfs) and from the disk's root
 * partition. */
#ifndef ANVIL_IMAGE_FATROOT_H
#define ANVIL_IMAGE_FATROOT_H

#include <stddef.h>

#include "manifest.h"

/* Where the volume sits in the initfs. */
#define FATROOT_INITFS_PATH "/boot/root.img"
/* The per-directory metadata file fatd reads (services/fatd/meta.h). */
#define FATROOT_META_NAME "ANVMETA.TAB"

/* Make a FAT32 volume of m->root_size_mib MiB at out from the cpio newc
 * archive cpio (the root tree), using scratch for staging: 0, or -1 after
 * printing an error. Reproducible: the volume id comes from the tree, every
 * time stamp is SOURCE_DATE_EPOCH. */
int fatroot_build(const struct manifest *m, const char *cpio, size_t len, const char *scratch,
                  const char *out);

#endif
