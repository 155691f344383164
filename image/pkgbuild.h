/* image/pkgbuild.h: compiles [packages] into static musl programs, with tcc
 * (fast) or gcc, in parallel and through the build cache. */
#ifndef ANVIL_IMAGE_PKGBUILD_H
#define ANVIL_IMAGE_PKGBUILD_H

#include "manifest.h"

/* A built program and where it goes in the image. */
struct pkg_output {
    char *path;         /* image path */
    char *file;         /* host file (in the build's temporary folder) */
    const struct mf_package *pkg;   /* the package it came from */
};

struct pkg_outputs {
    struct pkg_output *v;
    size_t len;
};

/* Build every package of m into objdir; fills out. -1 after naming what failed. */
int pkgbuild_all(const struct manifest *m, const char *srcroot, const char *objdir,
                 struct pkg_outputs *out);
void pkgbuild_free(struct pkg_outputs *out);

#endif
