/* tests/host/test_psf.c: the kernel's PSF font reader on the host: Debian's
 * Terminus fonts that mkimage embeds by default (PSF1 8x16, PSF2 16x32) map
 * ASCII through their Unicode tables, and broken or hostile headers are
 * refused without reading past the data. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "console/psf.h"
#include "tap.h"

#define FONT_DIR "/usr/share/consolefonts"
#define FONT_MAX (1 << 20)

/* The unpacked font file, or NULL (len 0). */
static uint8_t *load(const char *name, size_t *len)
{
    char cmd[256];
    uint8_t *buf = malloc(FONT_MAX);
    FILE *p;

    snprintf(cmd, sizeof(cmd), "gzip -dc %s/%s.psf.gz", FONT_DIR, name);
    p = popen(cmd, "r");
    *len = p ? fread(buf, 1, FONT_MAX, p) : 0;
    if (p)
        pclose(p);
    return buf;
}

static int lit_pixels(const struct anvil_psf_font *f, unsigned char c)
{
    const uint8_t *g = psf_glyph(f, c);
    int n = 0;

    for (uint32_t i = 0; i < f->glyph_bytes; i++)
        n += __builtin_popcount(g[i]);
    return n;
}

static void test_terminus(const char *name, uint32_t w, uint32_t h)
{
    size_t len;
    uint8_t *data = load(name, &len);
    struct anvil_psf_font f;

    if (!tap_ok(psf_parse(data, len, &f) == 0, "%s: parsed", name)) {
        free(data);
        return;
    }
    tap_ok(f.width == w && f.height == h && f.count == 512, "%s: %ux%u, 512 glyphs", name, w, h);
    tap_ok(lit_pixels(&f, ' ') == 0, "%s: space is blank", name);
    tap_ok(lit_pixels(&f, 'A') > 0 && psf_glyph(&f, 'A') != psf_glyph(&f, 'B'),
           "%s: A and B are drawn, differently", name);
    tap_ok(psf_glyph(&f, 0xe9) == psf_glyph(&f, '?') && psf_glyph(&f, '\t') == psf_glyph(&f, '?'),
           "%s: characters outside printable ASCII draw as '?'", name);
    tap_ok(psf_parse(data, len - 100, &f) == 0, "%s: a Unicode table cut short still parses",
           name);
    tap_ok(psf_parse(data, (size_t)(f.glyphs - data) + 511u * f.glyph_bytes, &f) == -EINVAL,
           "%s: one glyph short is refused", name);
    free(data);
}

/* A PSF2 header with the given sizes, followed by room for one 8x8 glyph. */
static size_t psf2(uint8_t *b, uint32_t header, uint32_t count, uint32_t bytes, uint32_t h,
                   uint32_t w)
{
    uint32_t v[8] = {0x864ab572u, 0, header, 0, count, bytes, h, w};

    memset(b, 0, 64);
    memcpy(b, v, sizeof(v));
    return 40;
}

/* PSF2 headers each with one thing wrong (a good one has 32, 1, 8, 8, 8). */
static void test_bad_psf2(void)
{
    static const struct {
        const char *what;
        uint32_t header, count, bytes, h, w;
    } bad[] = {
        {"header size past the end: refused", 1000, 1, 8, 8, 8},
        {"header size below 32: refused", 16, 1, 8, 8, 8},
        {"glyph size not height x row bytes: refused", 32, 1, 7, 8, 8},
        {"height 0: refused", 32, 1, 0, 0, 8},
        {"width 0: refused", 32, 1, 8, 8, 0},
        {"larger than 32x64: refused", 32, 1, 330, 66, 33},
        {"a glyph count that overflows: refused", 32, 0xffffffffu, 8, 8, 8},
    };
    uint8_t b[64];
    struct anvil_psf_font f;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len = psf2(b, bad[i].header, bad[i].count, bad[i].bytes, bad[i].h, bad[i].w);
        tap_ok(psf_parse(b, len, &f) == -EINVAL, "%s", bad[i].what);
    }
}

static void test_hostile(void)
{
    uint8_t b[64];
    struct anvil_psf_font f;
    size_t len = psf2(b, 32, 1, 8, 8, 8);

    tap_ok(psf_parse(b, len, &f) == 0, "a minimal PSF2 (one 8x8 glyph) is accepted");
    tap_ok(psf_parse(b, len - 1, &f) == -EINVAL, "a byte short of its glyph: refused");
    tap_ok(psf_parse(b, 31, &f) == -EINVAL, "shorter than its header: refused");
    b[4] = 1;
    tap_ok(psf_parse(b, len, &f) == -EINVAL, "a PSF2 version other than 0: refused");
    memcpy(b, "\x36\x04\x00\x00", 4);
    tap_ok(psf_parse(b, sizeof(b), &f) == -EINVAL, "PSF1 with 0-row glyphs: refused");
    memcpy(b, "\x36\x04\x00\x10", 4);
    tap_ok(psf_parse(b, sizeof(b), &f) == -EINVAL, "PSF1 with its 256 glyphs missing: refused");
    tap_ok(psf_parse((const uint8_t *)"BM", 2, &f) == -EINVAL, "not a font: refused");
    test_bad_psf2();
}

int main(void)
{
    test_terminus("Uni2-Terminus16", 8, 16);
    test_terminus("Uni2-Terminus32x16", 16, 32);
    test_hostile();
    return tap_done();
}
