/* image/initfs.h: packs the image's root tree ([[files]]) into the initfs archive
 * that GRUB hands the kernel as a module. */
#ifndef ANVIL_IMAGE_INITFS_H
#define ANVIL_IMAGE_INITFS_H

#include "manifest.h"
#include "pkgbuild.h"
#include "util.h"

/* Fill out with a cpio newc archive of every [[files]] entry and every built
 * program; -1 after printing an error. */
int initfs_build(const struct manifest *m, const struct pkg_outputs *programs,
                 struct strbuf *out);

#endif
