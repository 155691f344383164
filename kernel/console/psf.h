/* kernel/console/psf.h: PC Screen Font files for fbcon; the reader itself is
 * shared with the fbcond service (include/anvil/psf.h). */
#ifndef ANVIL_CONSOLE_PSF_H
#define ANVIL_CONSOLE_PSF_H

#include <anvil/psf.h>

#define PSF_ASCII ANVIL_PSF_ASCII

/* Check the file data[0..len) and fill f; 0, or -EINVAL for anything that
 * is not a whole, sane PSF1/PSF2 font (glyphs up to 32x64 pixels). */
int psf_parse(const uint8_t *data, size_t len, struct anvil_psf_font *f);

/* The bitmap for ASCII character c (others draw as '?'). */
const uint8_t *psf_glyph(const struct anvil_psf_font *f, unsigned char c);

#endif
