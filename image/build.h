/* image/build.h: one build: manifest -> kernel, initfs, grub.cfg, ISO, written
 * into the output folder only when every step has succeeded. */
#ifndef ANVIL_IMAGE_BUILD_H
#define ANVIL_IMAGE_BUILD_H

#include "manifest.h"

#define BUILD_KERNEL_NAME "anvil.elf"
#define BUILD_INITFS_NAME "initfs.cpio"
#define BUILD_GRUBCFG_NAME "grub.cfg"

/* Build m from the tree at srcroot into outdir; prints the outputs' paths. */
int build_image(const struct manifest *m, const char *srcroot, const char *outdir);
/* The ISO's and the raw disk's file names in outdir (caller frees). */
char *build_iso_path(const struct manifest *m, const char *outdir);
char *build_disk_path(const struct manifest *m, const char *outdir);
/* The volume label that GRUB searches for: a hash of the staged kernel, initfs
 * and grub.cfg in the folder stage (so the same content gets the same label). */
char *build_label(const struct manifest *m, const char *stage);

#endif
