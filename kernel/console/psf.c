/* kernel/console/psf.c: PSF1 (magic 36 04: 8 pixels wide, 256 or 512
 * glyphs) and PSF2 (magic 72 b5 4a 86: a 32-byte header giving the sizes),
 * as the Linux kbd project documents them. The optional Unicode table maps
 * glyphs to characters: console-setup's fonts do not keep ASCII at its own
 * positions, so ASCII is looked up there. The file is a build input, still
 * every size and offset is checked before use. */
#ifdef ANVIL_FEATURE_FBCON

#include "console/psf.h"
#include "lib/errno.h"
#include "lib/unaligned.h"

#define PSF1_HEADER 4
#define PSF1_MAGIC0 0x36
#define PSF1_MAGIC1 0x04
#define PSF1_MODE512 0x01
#define PSF1_MODEHASTAB 0x02
#define PSF1_MODESEQ 0x04
#define PSF1_SEPARATOR 0xffff
#define PSF1_STARTSEQ 0xfffe
#define PSF2_MAGIC 0x864ab572u
#define PSF2_HEADER 32
#define PSF2_HAS_UNICODE_TABLE 0x01
#define PSF2_SEPARATOR 0xff
#define PSF2_STARTSEQ 0xfe
#define PSF_MAX_WIDTH 32
#define PSF_MAX_HEIGHT 64
#define PSF_MAX_GLYPHS 65536
#define ASCII_FIRST 32

/* Glyphs laid out from offset, sizes already read; the table follows them. */
static int place(struct psf_font *f, const uint8_t *data, size_t len, size_t offset)
{
    if (f->width == 0 || f->width > PSF_MAX_WIDTH || f->height == 0 ||
        f->height > PSF_MAX_HEIGHT || f->count == 0 || f->count > PSF_MAX_GLYPHS)
        return -EINVAL;
    f->row_bytes = (f->width + 7) / 8;
    if (f->glyph_bytes != f->height * f->row_bytes || offset > len ||
        (len - offset) / f->glyph_bytes < f->count)
        return -EINVAL;
    f->glyphs = data + offset;
    for (unsigned c = 0; c < PSF_ASCII; c++)
        f->ascii[c] = c < f->count ? c : 0;   /* without a table: ASCII at its code */
    return 0;
}

/* PSF1 table: per glyph, 16-bit code points, a sequence after FFFE, end FFFF. */
static void table_psf1(struct psf_font *f, const uint8_t *p, const uint8_t *end)
{
    bool seq = false;

    for (uint32_t g = 0; g < f->count && end - p >= 2; p += 2) {
        uint16_t u = get_le16(p);
        if (u == PSF1_SEPARATOR) {
            g++;
            seq = false;
        } else if (u == PSF1_STARTSEQ) {
            seq = true;
        } else if (!seq && u < PSF_ASCII && f->ascii[u] == PSF_MAX_GLYPHS) {
            f->ascii[u] = g;
        }
    }
}

/* PSF2 table: per glyph, UTF-8 characters, a sequence after FE, end FF.
 * Only ASCII matters, and it is one byte below 0x80. */
static void table_psf2(struct psf_font *f, const uint8_t *p, const uint8_t *end)
{
    bool seq = false;

    for (uint32_t g = 0; g < f->count && p < end; p++) {
        if (*p == PSF2_SEPARATOR) {
            g++;
            seq = false;
        } else if (*p == PSF2_STARTSEQ) {
            seq = true;
        } else if (!seq && *p < PSF_ASCII && f->ascii[*p] == PSF_MAX_GLYPHS) {
            f->ascii[*p] = g;
        }
    }
}

/* A table replaces the identity map; characters it leaves out stay unmapped. */
static void read_table(struct psf_font *f, const uint8_t *data, size_t len, bool psf2)
{
    const uint8_t *start = f->glyphs + (size_t)f->count * f->glyph_bytes;

    for (unsigned c = 0; c < PSF_ASCII; c++)
        f->ascii[c] = PSF_MAX_GLYPHS;
    if (psf2)
        table_psf2(f, start, data + len);
    else
        table_psf1(f, start, data + len);
}

static int parse_psf1(const uint8_t *data, size_t len, struct psf_font *f)
{
    uint8_t mode = data[2];

    f->width = 8;
    f->height = f->glyph_bytes = data[3];
    f->count = mode & PSF1_MODE512 ? 512 : 256;
    if (place(f, data, len, PSF1_HEADER) < 0)
        return -EINVAL;
    if (mode & (PSF1_MODEHASTAB | PSF1_MODESEQ))
        read_table(f, data, len, false);
    return 0;
}

static int parse_psf2(const uint8_t *data, size_t len, struct psf_font *f)
{
    uint32_t header = get_le32(data + 8), flags = get_le32(data + 12);

    if (get_le32(data + 4) != 0 || header < PSF2_HEADER)
        return -EINVAL;   /* version 0 is the only one */
    f->count = get_le32(data + 16);
    f->glyph_bytes = get_le32(data + 20);
    f->height = get_le32(data + 24);
    f->width = get_le32(data + 28);
    if (place(f, data, len, header) < 0)
        return -EINVAL;
    if (flags & PSF2_HAS_UNICODE_TABLE)
        read_table(f, data, len, true);
    return 0;
}

int psf_parse(const uint8_t *data, size_t len, struct psf_font *f)
{
    if (len >= PSF2_HEADER && get_le32(data) == PSF2_MAGIC)
        return parse_psf2(data, len, f);
    if (len >= PSF1_HEADER && data[0] == PSF1_MAGIC0 && data[1] == PSF1_MAGIC1)
        return parse_psf1(data, len, f);
    return -EINVAL;
}

const uint8_t *psf_glyph(const struct psf_font *f, unsigned char c)
{
    uint32_t g = c < PSF_ASCII && c >= ASCII_FIRST ? f->ascii[c] : PSF_MAX_GLYPHS;

    if (g >= f->count)
        g = f->ascii['?'] < f->count ? f->ascii['?'] : 0;
    return f->glyphs + (size_t)g * f->glyph_bytes;
}

#endif /* ANVIL_FEATURE_FBCON */
