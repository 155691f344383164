/* kernel/console/psf.h: PC Screen Font files (PSF1 and PSF2, the formats
 * of Linux's console fonts), checked and indexed for drawing ASCII. */
#ifndef ANVIL_CONSOLE_PSF_H
#define ANVIL_CONSOLE_PSF_H

#include <stddef.h>
#include <stdint.h>

#define PSF_ASCII 128

struct psf_font {
    const uint8_t *glyphs;   /* inside the file given to psf_parse */
    uint32_t width, height;  /* pixels */
    uint32_t row_bytes;      /* (width + 7) / 8: rows are bit 7 leftmost */
    uint32_t glyph_bytes;    /* height * row_bytes */
    uint32_t count;
    uint32_t ascii[PSF_ASCII];   /* glyph index for each ASCII code */
};

/* Check the file data[0..len) and fill f; 0, or -EINVAL for anything that
 * is not a whole, sane PSF1/PSF2 font (glyphs up to 32x64 pixels). */
int psf_parse(const uint8_t *data, size_t len, struct psf_font *f);

/* The bitmap for ASCII character c (others draw as '?'). */
const uint8_t *psf_glyph(const struct psf_font *f, unsigned char c);

#endif
