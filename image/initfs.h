/* image/initfs.h: packs the image's root tree ([[files]], programs) into the initfs archive
 * that GRUB hands the kernel as a module. */
#ifndef ANVIL_IMAGE_INITFS_H
#define ANVIL_IMAGE_INITFS_H

#include "manifest.h"
#include "pkgbuild.h"
#include "util.h"

/* Where the root tree's own archive sits in the initfs when image.root = "ramfs"
 * (and "disk", for the live fallback). */
#define INITFS_ROOT_ARCHIVE "/boot/root.cpio"

/* With image.root = "live" or "disk": the FAT32 root volume's file in the scratch folder
 * (also what goes into the disk's root partition). */
#define INITFS_LIVE_IMAGE "root.img"

/* Fill out with a cpio newc archive of every [[files]] and [tree] entry, every
 * built program and its links (with image.root = "ramfs": of the boot entries,
 * plus INITFS_ROOT_ARCHIVE holding all of them; "live": the boot entries plus the
 * FAT32 volume of all, made in scratch; "disk": as ramfs, and that volume made in
 * scratch for the disk); -1 after printing an error. */
int initfs_build(const struct manifest *m, const struct pkg_outputs *programs,
                 const char *scratch, struct strbuf *out);

#endif
