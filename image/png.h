/* image/png.h: PNG pictures without a compression library: 8-bit RGB in stored
 * (uncompressed) deflate blocks, from the PPM files QEMU's screendump writes. */
#ifndef ANVIL_IMAGE_PNG_H
#define ANVIL_IMAGE_PNG_H

#include <stdint.h>

#include "util.h"

/* Append to out a PNG of width x height pixels, rgb holding 3 bytes per pixel,
 * rows top to bottom. Returns 0, or -1 when a dimension is 0 or too large. */
int png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, struct strbuf *out);
/* Convert a binary PPM (P6, maxval 255) into a PNG written atomically.
 * Returns 0, or -1 after an error message naming the file. */
int png_from_ppm(const char *ppm_path, const char *png_path);

#endif
