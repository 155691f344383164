/* image/png.c: PNG pictures without a compression library: 8-bit RGB in stored
 * (uncompressed) deflate blocks, from the PPM files QEMU's screendump writes. */
#include "png.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"

/* PNG (ISO/IEC 15948:2003, W3C PNG 2nd edition) */
static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};  /* §5.2 */
#define PNG_IHDR_SIZE 13u            /* §11.2.2 */
#define PNG_DEPTH 8u                 /* bits per sample */
#define PNG_COLOR_RGB 2u             /* §11.2.2: colour type 2, truecolour */
#define PNG_FILTER_NONE 0u           /* §9.2: filter type 0 before each row */
#define PNG_DIM_MAX 0x7FFFFFFFu      /* §11.2.2: width and height fit 31 bits */
#define PNG_IDAT_MAX (1u << 20)      /* our choice: zlib stream split into 1 MiB IDATs */
#define PNG_BPP 3u                   /* bytes per RGB pixel */

/* zlib (RFC 1950) around deflate (RFC 1951) stored blocks */
#define ZLIB_CMF 0x78u               /* RFC 1950 §2.2: CM 8 (deflate), CINFO 7 (32 KiB window) */
#define ZLIB_FLG 0x01u               /* FLEVEL 0, no dictionary; (CMF*256+FLG) % 31 == 0 */
#define DEFLATE_STORED_MAX 65535u    /* RFC 1951 §3.2.4: LEN is 16 bits */
#define DEFLATE_FINAL 0x01u          /* BFINAL set, BTYPE 00 (stored) */
#define ADLER_MOD 65521u             /* RFC 1950 §8.2: largest prime below 2^16 */

/* PPM (netpbm ppm(5)) */
#define PPM_MAXVAL 255u

static void put_be32(struct strbuf *sb, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

    sb_add(sb, b, sizeof b);
}

/* A chunk (§5.3): length, type, data, CRC-32 of type and data. */
static void put_chunk(struct strbuf *sb, const char type[4], const void *data, uint32_t len)
{
    uint32_t crc = crc32_update(crc32_update(0, type, 4), data, len);

    put_be32(sb, len);
    sb_add(sb, type, 4);
    sb_add(sb, data, len);
    put_be32(sb, crc);
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;

    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % ADLER_MOD;
        b = (b + a) % ADLER_MOD;
    }
    return b << 16 | a;
}

/* raw as a zlib stream of stored deflate blocks. */
static void zlib_stored(const uint8_t *raw, size_t n, struct strbuf *z)
{
    uint8_t head[2] = {ZLIB_CMF, ZLIB_FLG};
    size_t off = 0;

    sb_add(z, head, sizeof head);
    do {
        size_t len = n - off > DEFLATE_STORED_MAX ? DEFLATE_STORED_MAX : n - off;
        uint8_t block[5] = {
            off + len == n ? DEFLATE_FINAL : 0,
            (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)~len, (uint8_t)(~len >> 8),
        };
        sb_add(z, block, sizeof block);
        sb_add(z, raw + off, len);
        off += len;
    } while (off < n);
    put_be32(z, adler32(raw, n));
}

/* The filtered image data (§7.3): each row behind a filter-type byte. */
static uint8_t *filter_rows(const uint8_t *rgb, uint32_t width, uint32_t height, size_t *n)
{
    size_t row = (size_t)width * PNG_BPP;
    uint8_t *raw = xmalloc((row + 1) * height);

    for (size_t y = 0; y < height; y++) {
        raw[y * (row + 1)] = PNG_FILTER_NONE;
        memcpy(raw + y * (row + 1) + 1, rgb + y * row, row);
    }
    *n = (row + 1) * height;
    return raw;
}

int png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, struct strbuf *out)
{
    struct strbuf ihdr = {0}, z = {0};
    uint8_t tail[5] = {PNG_DEPTH, PNG_COLOR_RGB, 0, 0, 0};  /* compression, filter, interlace 0 */
    uint8_t *raw;
    size_t n;

    if (width == 0 || height == 0 || width > PNG_DIM_MAX || height > PNG_DIM_MAX)
        return -1;
    put_be32(&ihdr, width);
    put_be32(&ihdr, height);
    sb_add(&ihdr, tail, sizeof tail);
    raw = filter_rows(rgb, width, height, &n);
    zlib_stored(raw, n, &z);
    sb_add(out, png_signature, sizeof png_signature);
    put_chunk(out, "IHDR", ihdr.buf, PNG_IHDR_SIZE);
    for (size_t off = 0; off < z.len; off += PNG_IDAT_MAX) {
        size_t len = z.len - off > PNG_IDAT_MAX ? PNG_IDAT_MAX : z.len - off;
        put_chunk(out, "IDAT", z.buf + off, (uint32_t)len);
    }
    put_chunk(out, "IEND", "", 0);
    free(raw);
    sb_free(&ihdr);
    sb_free(&z);
    return 0;
}

/* The next header number of a PPM: blanks and # comments before it (ppm(5)). */
static int ppm_number(const char *p, size_t len, size_t *pos, unsigned long *out)
{
    size_t i = *pos;
    unsigned long v = 0;

    while (i < len && (isspace((unsigned char)p[i]) || p[i] == '#')) {
        if (p[i] == '#')
            while (i < len && p[i] != '\n')
                i++;
        else
            i++;
    }
    if (i >= len || !isdigit((unsigned char)p[i]))
        return -1;
    while (i < len && isdigit((unsigned char)p[i]) && v <= PNG_DIM_MAX)
        v = v * 10 + (unsigned long)(p[i++] - '0');
    *pos = i;
    *out = v;
    return 0;
}

/* Width, height and where the pixels start; -1 when it is not a P6 PPM we take. */
static int ppm_header(const char *path, const char *p, size_t len, uint32_t *w, uint32_t *h,
                      size_t *data)
{
    unsigned long width, height, maxval;
    size_t pos = 2;

    if (len < 2 || p[0] != 'P' || p[1] != '6') {
        util_err("%s: not a binary PPM (it does not start with P6)", path);
        return -1;
    }
    if (ppm_number(p, len, &pos, &width) < 0 || ppm_number(p, len, &pos, &height) < 0 ||
        ppm_number(p, len, &pos, &maxval) < 0 || pos >= len || !isspace((unsigned char)p[pos])) {
        util_err("%s: malformed PPM header", path);
        return -1;
    }
    if (maxval != PPM_MAXVAL || width == 0 || height == 0 || width > PNG_DIM_MAX ||
        height > PNG_DIM_MAX) {
        util_err("%s: %lux%lu with maxval %lu; want non-zero sizes and maxval %u", path, width,
                 height, maxval, PPM_MAXVAL);
        return -1;
    }
    *w = (uint32_t)width;
    *h = (uint32_t)height;
    *data = pos + 1;  /* exactly one blank ends the header */
    return 0;
}

int png_from_ppm(const char *ppm_path, const char *png_path)
{
    struct strbuf png = {0};
    size_t len, data;
    uint32_t w, h;
    int ret = -1;
    char *ppm = util_read_file(ppm_path, &len);

    if (!ppm) {
        util_err("cannot read %s: %s", ppm_path, strerror(errno));
        return -1;
    }
    if (ppm_header(ppm_path, ppm, len, &w, &h, &data) < 0)
        goto out;
    if ((len - data) / PNG_BPP / w < h) {
        util_err("%s: %ux%u pixels need %llu bytes; it has %zu", ppm_path, w, h,
                 (unsigned long long)w * h * PNG_BPP, len - data);
        goto out;
    }
    png_encode_rgb((const uint8_t *)ppm + data, w, h, &png);
    ret = util_write_atomic(png_path, png.buf, png.len, 0644);
out:
    free(ppm);
    sb_free(&png);
    return ret;
}
