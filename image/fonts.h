/* image/fonts.h: the console fonts the kernel's fbcon embeds (Debian's
 * console-setup fonts), unpacked and checked for the kernel build. */
#ifndef ANVIL_IMAGE_FONTS_H
#define ANVIL_IMAGE_FONTS_H

#include "manifest.h"
#include "sha256.h"

/* Write dir/small.psf and dir/large.psf (the same font twice when
 * [console] font names one) and add their bytes to key; -1 after an error. */
int fonts_stage(const struct manifest *m, const char *dir, struct sha256 *key);

#endif
