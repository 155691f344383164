/* image/kbuild.h: compiles the kernel with gcc, one job per source file run in
 * parallel, with [kernel] features turned into -D defines. */
#ifndef ANVIL_IMAGE_KBUILD_H
#define ANVIL_IMAGE_KBUILD_H

#include "manifest.h"

/* Build srcroot/kernel into objdir and link it to elf_out; -1 after an error. */
int kbuild_kernel(const struct manifest *m, const char *srcroot, const char *objdir,
                  const char *elf_out);

#endif
