/* tests/host/test_png.c: png_from_ppm: PPMs in, PNGs read back chunk by chunk,
 * their stored deflate blocks undone and compared with the pixels. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc32.h"
#include "png.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/anvil-test-png-XXXXXX";

/* What a PNG holds, as this test reads it. */
struct png_read {
    uint32_t width, height;
    uint8_t ihdr_tail[5];  /* depth, colour type, compression, filter, interlace */
    struct strbuf zlib;    /* the IDAT chunks' data, joined */
    int idats;
    bool crcs_ok, ends_with_iend;
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Pixels: a pattern that differs in every byte of a row. */
static uint8_t *pattern(uint32_t w, uint32_t h)
{
    uint8_t *rgb = xmalloc((size_t)w * h * 3);

    for (size_t i = 0; i < (size_t)w * h * 3; i++)
        rgb[i] = (uint8_t)(i * 31 + i / 7);
    return rgb;
}

static char *write_ppm(const char *name, const char *header, const uint8_t *rgb, size_t n)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");

    fputs(header, f);
    fwrite(rgb, 1, n, f);
    fclose(f);
    return path;
}

/* Walk the chunks: CRCs, IHDR, IDATs, IEND last. Returns -1 when malformed. */
static int read_png(const uint8_t *p, size_t len, struct png_read *r)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    size_t off = 8;

    memset(r, 0, sizeof *r);
    r->crcs_ok = true;
    if (len < 8 || memcmp(p, sig, 8))
        return -1;
    while (off + 12 <= len) {
        uint32_t n = be32(p + off);
        const uint8_t *type = p + off + 4, *data = p + off + 8;
        if (off + 12 + n > len)
            return -1;
        if (be32(data + n) != crc32_update(0, type, 4 + n))
            r->crcs_ok = false;
        if (!memcmp(type, "IHDR", 4) && n == 13) {
            r->width = be32(data);
            r->height = be32(data + 4);
            memcpy(r->ihdr_tail, data + 8, 5);
        } else if (!memcmp(type, "IDAT", 4)) {
            sb_add(&r->zlib, data, n);
            r->idats++;
        }
        r->ends_with_iend = !memcmp(type, "IEND", 4) && n == 0 && off + 12 == len;
        off += 12 + n;
    }
    return off == len ? 0 : -1;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;

    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

/* Undo a zlib stream made of stored blocks only; -1 on anything else. */
static int inflate_stored(const uint8_t *z, size_t len, struct strbuf *out, int *blocks)
{
    size_t off = 2;
    bool final = false;

    *blocks = 0;
    if (len < 6 || (z[0] & 0x0F) != 8 || ((z[0] << 8) | z[1]) % 31 != 0 || (z[1] & 0x20))
        return -1;
    sb_add(out, "", 0);
    while (!final) {
        if (off + 5 > len || (z[off] & 0x06) != 0)  /* BTYPE must be 00 */
            return -1;
        final = z[off] & 1;
        unsigned n = z[off + 1] | z[off + 2] << 8, nn = z[off + 3] | z[off + 4] << 8;
        if ((n ^ 0xFFFF) != nn || off + 5 + n > len)
            return -1;
        sb_add(out, z + off + 5, n);
        off += 5 + n;
        (*blocks)++;
    }
    if (off + 4 != len || be32(z + off) != adler32((const uint8_t *)out->buf, out->len))
        return -1;
    return 0;
}

/* Each row is filter type 0 followed by the row's pixels as they were. */
static bool rows_match(const struct strbuf *raw, const uint8_t *rgb, uint32_t w, uint32_t h)
{
    size_t row = (size_t)w * 3;

    if (raw->len != (row + 1) * h)
        return false;
    for (size_t y = 0; y < h; y++) {
        const uint8_t *r = (const uint8_t *)raw->buf + y * (row + 1);
        if (r[0] != 0 || memcmp(r + 1, rgb + y * row, row))
            return false;
    }
    return true;
}

/* Convert a w x h pattern (with header text) and check the PNG through and through. */
static void check_conversion(const char *name, const char *header, uint32_t w, uint32_t h,
                             int min_idats, int min_blocks)
{
    uint8_t *rgb = pattern(w, h);
    char *ppm = write_ppm(name, header, rgb, (size_t)w * h * 3);
    char *png = xasprintf("%s.png", ppm);
    struct png_read r = {0};
    struct strbuf raw = {0};
    size_t len = 0;
    uint8_t *bytes = NULL;
    int blocks = 0;
    bool inflated;

    tap_ok(png_from_ppm(ppm, png) == 0, "%s: converts", name);
    bytes = (uint8_t *)util_read_file(png, &len);
    if (!tap_ok(bytes && read_png(bytes, len, &r) == 0, "%s: PNG signature and chunks", name))
        goto out;
    tap_ok(r.width == w && r.height == h, "%s: IHDR %ux%u", name, r.width, r.height);
    tap_ok(!memcmp(r.ihdr_tail, "\x08\x02\x00\x00\x00", 5),
           "%s: IHDR 8-bit RGB, deflate, filter method 0, no interlace", name);
    tap_ok(r.crcs_ok, "%s: every chunk's CRC-32 is right", name);
    tap_ok(r.ends_with_iend, "%s: IEND comes last", name);
    tap_ok(r.idats >= min_idats, "%s: %d IDAT chunk(s)", name, r.idats);
    inflated = inflate_stored((const uint8_t *)r.zlib.buf, r.zlib.len, &raw, &blocks) == 0;
    tap_ok(inflated && blocks >= min_blocks,
           "%s: a zlib stream of %d stored block(s) with the right Adler-32", name, blocks);
    tap_ok(rows_match(&raw, rgb, w, h), "%s: the rows give back the pixels", name);
out:
    free(bytes);
    sb_free(&r.zlib);
    sb_free(&raw);
    free(rgb);
    free(ppm);
    free(png);
}

/* png_from_ppm with its error messages (expected here) kept off stderr. */
static int convert_quietly(const char *ppm, const char *png)
{
    int saved = dup(2), null = open("/dev/null", O_WRONLY);
    int ret;

    dup2(null, 2);
    ret = png_from_ppm(ppm, png);
    dup2(saved, 2);
    close(saved);
    close(null);
    return ret;
}

/* png_from_ppm must fail and write nothing. */
static void expect_refusal(const char *name, const char *header, size_t pixel_bytes)
{
    uint8_t *rgb = pattern(64, 64);
    char *ppm = write_ppm(name, header, rgb, pixel_bytes);
    char *png = xasprintf("%s.png", ppm);

    tap_ok(convert_quietly(ppm, png) < 0 && access(png, F_OK) != 0,
           "refused, no PNG written: %s", name);
    free(rgb);
    free(ppm);
    free(png);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    check_conversion("tiny", "P6\n3 2\n255\n", 3, 2, 1, 1);
    check_conversion("comments", "P6 # QEMU writes none, netpbm may\n5 # width\n4\n255\t", 5, 4,
                     1, 1);
    check_conversion("several-blocks", "P6\n200 150\n255\n", 200, 150, 1, 2);
    check_conversion("several-idats", "P6\n700 600\n255\n", 700, 600, 2, 20);
    expect_refusal("ascii-ppm", "P3\n2 2\n255\n", 12);
    expect_refusal("16-bit", "P6\n2 2\n65535\n", 24);
    expect_refusal("short", "P6\n4 4\n255\n", 47);
    expect_refusal("zero-width", "P6\n0 4\n255\n", 0);
    expect_refusal("no-header-end", "P6\n4 4\n255", 0);
    tap_ok(convert_quietly("/nonexistent.ppm", "/nonexistent.png") < 0, "a missing PPM is an error");
    util_remove_tree(dir);
    return tap_done();
}
