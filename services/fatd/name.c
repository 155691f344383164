/* services/fatd/name.c: FAT names (see name.h). Only ASCII letters fold case:
 * FAT's upper-casing of other characters depends on an OEM code page, which
 * Anvil does not carry, so such names always get a long name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fat.h"
#include "name.h"

#define SHORT_BASE 8
#define SHORT_EXT 3
#define TAIL_MAX 999999u

/* Characters a short name may hold besides A-Z and 0-9 (spec §6.1). */
static bool short_char(int ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch && strchr("$%'-_@~`!(){}^#&", ch));
}

static int upper(int ch)
{
    return ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch;
}

static int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* One code point from UTF-8 at *s: it, or -1 when malformed. */
static long utf8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    long cp;
    int extra;

    if (p[0] < 0x80) {
        *s = p + 1;
        return p[0];
    }
    extra = p[0] >= 0xf0 && p[0] < 0xf5 ? 3 : p[0] >= 0xe0 ? 2 : p[0] >= 0xc2 ? 1 : -1;
    if (extra < 0 || p[0] >= 0xf5)
        return -1;
    cp = p[0] & (0x3f >> extra);
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return -1;   /* overlong, too big, or a surrogate */
    *s = p + extra + 1;
    return cp;
}

int name_to_ucs2(const char *s, uint16_t *out, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;

    while (*p) {
        long cp = utf8_next(&p);
        if (cp < 0 || n + (cp >= 0x10000 ? 2 : 1) > max)
            return -EINVAL;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[n++] = (uint16_t)(0xd800 | (cp >> 10));
            out[n++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
        } else {
            out[n++] = (uint16_t)cp;
        }
    }
    return (int)n;
}

/* Append code point cp as UTF-8 at out[*at] (cap bytes with the NUL): 0 or -EINVAL. */
static int put_utf8(char *out, size_t cap, size_t *at, unsigned long cp)
{
    int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};

    if (*at + (size_t)len + 1 > cap)
        return -EINVAL;
    for (int i = len - 1; i > 0; i--, cp >>= 6)
        out[*at + (size_t)i] = (char)(0x80 | (cp & 0x3f));
    out[*at] = (char)(len == 1 ? cp : (lead[len] | cp));
    *at += (size_t)len;
    return 0;
}

int name_from_ucs2(const uint16_t *u, size_t n, char *out, size_t cap)
{
    size_t at = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned long cp = u[i];
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n && u[i + 1] >= 0xdc00 && u[i + 1] <= 0xdfff)
            cp = 0x10000 + ((cp - 0xd800) << 10) + (u[++i] - 0xdc00);
        else if (cp >= 0xd800 && cp <= 0xdfff)
            return -EINVAL;   /* an unpaired surrogate */
        if (cp == 0 || put_utf8(out, cap, &at, cp) < 0)
            return -EINVAL;
    }
    out[at] = '\0';
    return 0;
}

bool fat_name_ok(const char *name)
{
    size_t len = strlen(name);
    uint16_t units[FAT_NAME_MAX];

    if (len == 0 || !strcmp(name, ".") || !strcmp(name, ".."))
        return false;
    if (name[len - 1] == '.' || name[len - 1] == ' ')
        return false;   /* Windows drops them, so the name would not round-trip */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || strchr("/\\:*?\"<>|", *p))
            return false;
    return name_to_ucs2(name, units, FAT_NAME_MAX) > 0;
}

bool fat_name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (upper((unsigned char)*a) != upper((unsigned char)*b))
            return false;
    return *a == *b;
}

/* One part (base or extension) of an exact short name: 1 all upper, 2 all
 * lower, 3 neither letters, 0 invalid or mixed. */
static int part_case(const char *s, size_t len, size_t max)
{
    bool up = false, low = false;

    if (len > max)
        return 0;
    for (size_t i = 0; i < len; i++) {
        int ch = (unsigned char)s[i];
        up |= ch >= 'A' && ch <= 'Z';
        low |= ch >= 'a' && ch <= 'z';
        if (!short_char(upper(ch)))
            return 0;
    }
    return up && low ? 0 : low ? 2 : up ? 1 : 3;
}

bool name_short_exact(const char *name, uint8_t sn[NAME_SHORT_LEN], uint8_t *ntres)
{
    const char *dot = strchr(name, '.');
    size_t blen = dot ? (size_t)(dot - name) : strlen(name);
    size_t elen = dot ? strlen(dot + 1) : 0;
    int bc, ec;

    if (blen == 0 || (dot && (elen == 0 || strchr(dot + 1, '.'))))
        return false;
    bc = part_case(name, blen, SHORT_BASE);
    ec = dot ? part_case(dot + 1, elen, SHORT_EXT) : 3;
    if (!bc || !ec)
        return false;
    memset(sn, ' ', NAME_SHORT_LEN);
    for (size_t i = 0; i < blen; i++)
        sn[i] = (uint8_t)upper((unsigned char)name[i]);
    for (size_t i = 0; i < elen; i++)
        sn[SHORT_BASE + i] = (uint8_t)upper((unsigned char)dot[1 + i]);
    if (sn[0] == 0xe5)
        sn[0] = 0x05;
    *ntres = (bc == 2 ? NAME_NTRES_LOWER_BASE : 0) | (ec == 2 ? NAME_NTRES_LOWER_EXT : 0);
    return true;
}

/* Copy the short-name characters of s[0..len) into out (max of them), upper
 * case, invalid ones as '_', spaces and dots dropped. */
static void basis_part(const char *s, size_t len, uint8_t *out, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < len && n < max; i++) {
        int ch = upper((unsigned char)s[i]);
        if (ch == ' ' || ch == '.')
            continue;
        out[n++] = (uint8_t)(short_char(ch) ? ch : '_');
        while (((unsigned char)s[i] & 0xc0) == 0xc0 && ((unsigned char)s[i + 1] & 0xc0) == 0x80)
            i++;   /* one '_' per non-ASCII character, not per byte */
    }
}

void name_short_basis(const char *name, uint8_t sn[NAME_SHORT_LEN])
{
    const char *start = name + strspn(name, ". ");   /* leading dots and spaces go */
    const char *dot = strrchr(start, '.');
    size_t blen = dot ? (size_t)(dot - start) : strlen(start);

    memset(sn, ' ', NAME_SHORT_LEN);
    basis_part(start, blen, sn, SHORT_BASE);
    if (dot)
        basis_part(dot + 1, strlen(dot + 1), sn + SHORT_BASE, SHORT_EXT);
    if (sn[0] == ' ')
        sn[0] = '_';
    if (sn[0] == 0xe5)
        sn[0] = 0x05;
}

void name_short_tail(const uint8_t basis[NAME_SHORT_LEN], unsigned n, uint8_t sn[NAME_SHORT_LEN])
{
    char tail[9];
    size_t tl = (size_t)snprintf(tail, sizeof tail, "~%u", n > TAIL_MAX ? TAIL_MAX : n);
    size_t blen = 0;

    memcpy(sn, basis, NAME_SHORT_LEN);
    while (blen < SHORT_BASE && basis[blen] != ' ')
        blen++;
    if (blen > SHORT_BASE - tl)
        blen = SHORT_BASE - tl;
    memcpy(sn + blen, tail, tl);
    memset(sn + blen + tl, ' ', SHORT_BASE - blen - tl);
}

void name_short_show(const uint8_t sn[NAME_SHORT_LEN], uint8_t ntres, char out[13])
{
    size_t n = 0;

    for (size_t i = 0; i < SHORT_BASE && sn[i] != ' '; i++) {
        int ch = sn[i] >= 0x80 || (i == 0 && sn[0] == 0x05) ? '_' : sn[i];   /* OEM bytes */
        out[n++] = (char)(ntres & NAME_NTRES_LOWER_BASE ? lower(ch) : ch);
    }
    if (sn[SHORT_BASE] != ' ')
        out[n++] = '.';
    for (size_t i = SHORT_BASE; i < NAME_SHORT_LEN && sn[i] != ' '; i++)
        out[n++] = (char)(sn[i] >= 0x80 ? '_' : ntres & NAME_NTRES_LOWER_EXT ? lower(sn[i]) : sn[i]);
    out[n] = '\0';
}

uint8_t name_checksum(const uint8_t sn[NAME_SHORT_LEN])
{
    uint8_t sum = 0;

    for (int i = 0; i < NAME_SHORT_LEN; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + sn[i]);
    return sum;
}
