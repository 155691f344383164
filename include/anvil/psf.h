/* include/anvil/psf.h: PC Screen Font files (PSF1: magic 36 04, 8 pixels
 * wide, 256 or 512 glyphs; PSF2: magic 72 b5 4a 86 and a 32-byte header
 * giving the sizes), as the Linux kbd project documents them, checked and
 * indexed for drawing ASCII. Shared by the kernel's fbcon and the fbcond
 * service; freestanding (no libc). console-setup's fonts do not keep ASCII
 * at its own glyph positions, so ASCII is looked up in the Unicode table.
 * Every size and offset is checked before use: the file may be hostile. */
#ifndef ANVIL_PSF_H
#define ANVIL_PSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ANVIL_PSF_ASCII 128
#define ANVIL_PSF_MAX_WIDTH 32
#define ANVIL_PSF_MAX_HEIGHT 64
#define ANVIL_PSF_MAX_GLYPHS 65536

struct anvil_psf_font {
    const uint8_t *glyphs;   /* inside the file given to anvil_psf_parse */
    uint32_t width, height;  /* pixels */
    uint32_t row_bytes;      /* (width + 7) / 8: rows are bit 7 leftmost */
    uint32_t glyph_bytes;    /* height * row_bytes */
    uint32_t count;
    uint32_t ascii[ANVIL_PSF_ASCII];   /* glyph index for each ASCII code */
};

#define ANVIL_PSF1_HEADER 4
#define ANVIL_PSF1_MAGIC0 0x36
#define ANVIL_PSF1_MAGIC1 0x04
#define ANVIL_PSF1_MODE512 0x01
#define ANVIL_PSF1_MODEHASTAB 0x02
#define ANVIL_PSF1_MODESEQ 0x04
#define ANVIL_PSF1_SEPARATOR 0xffff
#define ANVIL_PSF1_STARTSEQ 0xfffe
#define ANVIL_PSF2_MAGIC 0x864ab572u
#define ANVIL_PSF2_HEADER 32
#define ANVIL_PSF2_HAS_UNICODE_TABLE 0x01
#define ANVIL_PSF2_SEPARATOR 0xff
#define ANVIL_PSF2_STARTSEQ 0xfe
#define ANVIL_PSF_ASCII_FIRST 32

static inline uint32_t anvil_psf_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Glyphs laid out from offset, sizes already read; the table follows them. */
static inline int anvil_psf_place(struct anvil_psf_font *f, const uint8_t *data, size_t len,
                                  size_t offset)
{
    if (f->width == 0 || f->width > ANVIL_PSF_MAX_WIDTH || f->height == 0 ||
        f->height > ANVIL_PSF_MAX_HEIGHT || f->count == 0 || f->count > ANVIL_PSF_MAX_GLYPHS)
        return -1;
    f->row_bytes = (f->width + 7) / 8;
    if (f->glyph_bytes != f->height * f->row_bytes || offset > len ||
        (len - offset) / f->glyph_bytes < f->count)
        return -1;
    f->glyphs = data + offset;
    for (unsigned c = 0; c < ANVIL_PSF_ASCII; c++)
        f->ascii[c] = c < f->count ? c : 0;   /* without a table: ASCII at its code */
    return 0;
}

/* PSF1 table: per glyph, 16-bit code points, a sequence after FFFE, end FFFF. */
static inline void anvil_psf_table1(struct anvil_psf_font *f, const uint8_t *p,
                                    const uint8_t *end)
{
    bool seq = false;

    for (uint32_t g = 0; g < f->count && end - p >= 2; p += 2) {
        uint16_t u = (uint16_t)(p[0] | p[1] << 8);
        if (u == ANVIL_PSF1_SEPARATOR) {
            g++;
            seq = false;
        } else if (u == ANVIL_PSF1_STARTSEQ) {
            seq = true;
        } else if (!seq && u < ANVIL_PSF_ASCII && f->ascii[u] == ANVIL_PSF_MAX_GLYPHS) {
            f->ascii[u] = g;
        }
    }
}

/* PSF2 table: per glyph, UTF-8 characters, a sequence after FE, end FF.
 * Only ASCII matters, and it is one byte below 0x80. */
static inline void anvil_psf_table2(struct anvil_psf_font *f, const uint8_t *p,
                                    const uint8_t *end)
{
    bool seq = false;

    for (uint32_t g = 0; g < f->count && p < end; p++) {
        if (*p == ANVIL_PSF2_SEPARATOR) {
            g++;
            seq = false;
        } else if (*p == ANVIL_PSF2_STARTSEQ) {
            seq = true;
        } else if (!seq && *p < ANVIL_PSF_ASCII && f->ascii[*p] == ANVIL_PSF_MAX_GLYPHS) {
            f->ascii[*p] = g;
        }
    }
}

/* A table replaces the identity map; characters it leaves out stay unmapped. */
static inline void anvil_psf_read_table(struct anvil_psf_font *f, const uint8_t *data,
                                        size_t len, bool psf2)
{
    const uint8_t *start = f->glyphs + (size_t)f->count * f->glyph_bytes;

    for (unsigned c = 0; c < ANVIL_PSF_ASCII; c++)
        f->ascii[c] = ANVIL_PSF_MAX_GLYPHS;
    if (psf2)
        anvil_psf_table2(f, start, data + len);
    else
        anvil_psf_table1(f, start, data + len);
}

static inline int anvil_psf_parse1(const uint8_t *data, size_t len, struct anvil_psf_font *f)
{
    uint8_t mode = data[2];

    f->width = 8;
    f->height = f->glyph_bytes = data[3];
    f->count = mode & ANVIL_PSF1_MODE512 ? 512 : 256;
    if (anvil_psf_place(f, data, len, ANVIL_PSF1_HEADER) < 0)
        return -1;
    if (mode & (ANVIL_PSF1_MODEHASTAB | ANVIL_PSF1_MODESEQ))
        anvil_psf_read_table(f, data, len, false);
    return 0;
}

static inline int anvil_psf_parse2(const uint8_t *data, size_t len, struct anvil_psf_font *f)
{
    uint32_t header = anvil_psf_le32(data + 8), flags = anvil_psf_le32(data + 12);

    if (anvil_psf_le32(data + 4) != 0 || header < ANVIL_PSF2_HEADER)
        return -1;   /* version 0 is the only one */
    f->count = anvil_psf_le32(data + 16);
    f->glyph_bytes = anvil_psf_le32(data + 20);
    f->height = anvil_psf_le32(data + 24);
    f->width = anvil_psf_le32(data + 28);
    if (anvil_psf_place(f, data, len, header) < 0)
        return -1;
    if (flags & ANVIL_PSF2_HAS_UNICODE_TABLE)
        anvil_psf_read_table(f, data, len, true);
    return 0;
}

/* Check the file data[0..len) and fill f: 0, or -1 for anything that is not
 * a whole, sane PSF1/PSF2 font (glyphs up to 32x64 pixels). */
static inline int anvil_psf_parse(const uint8_t *data, size_t len, struct anvil_psf_font *f)
{
    if (len >= ANVIL_PSF2_HEADER && anvil_psf_le32(data) == ANVIL_PSF2_MAGIC)
        return anvil_psf_parse2(data, len, f);
    if (len >= ANVIL_PSF1_HEADER && data[0] == ANVIL_PSF1_MAGIC0 && data[1] == ANVIL_PSF1_MAGIC1)
        return anvil_psf_parse1(data, len, f);
    return -1;
}

/* The bitmap for ASCII character c (others draw as '?'). */
static inline const uint8_t *anvil_psf_glyph(const struct anvil_psf_font *f, unsigned char c)
{
    uint32_t g = c < ANVIL_PSF_ASCII && c >= ANVIL_PSF_ASCII_FIRST ? f->ascii[c]
                                                                   : ANVIL_PSF_MAX_GLYPHS;

    if (g >= f->count)
        g = f->ascii['?'] < f->count ? f->ascii['?'] : 0;
    return f->glyphs + (size_t)g * f->glyph_bytes;
}

#endif
