/* services/ps2d/keymap.c: looking characters up in a layout (keymap.h). */
#include <anvil/input.h>
#include <stddef.h>
#include <string.h>

#include "keymap.h"

/* The first key code of each row and how many keys it has. */
static const struct { uint16_t first, count; } rows[KEYMAP_ROWS] = {
    [KEYMAP_ROW_DIGITS] = {ANVIL_KEY_1, 12},        /* 1 .. = */
    [KEYMAP_ROW_TOP] = {ANVIL_KEY_Q, 12},           /* Q .. ] */
    [KEYMAP_ROW_HOME] = {ANVIL_KEY_A, 12},          /* A .. ` */
    [KEYMAP_ROW_BOTTOM] = {ANVIL_KEY_BACKSLASH, 11}, /* \ Z .. / */
    [KEYMAP_ROW_102ND] = {ANVIL_KEY_102ND, 1},      /* the extra key of ISO keyboards */
};

#define NONE ' '

/* Decode the UTF-8 sequence at *s, moving past it; 0 at the end or on a
 * malformed sequence (the tables are ours, but a typo must not overrun). */
static uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned len = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3 : 0;
    uint32_t c;

    if (!p[0] || !len)
        return 0;
    c = len == 1 ? p[0] : len == 2 ? p[0] & 0x1fu : p[0] & 0x0fu;
    for (unsigned i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3fu);
    }
    *s += len;
    return c;
}

static uint32_t nth_char(const char *s, unsigned n)
{
    uint32_t c = 0;

    for (unsigned i = 0; s && i <= n; i++)
        if ((c = utf8_next(&s)) == 0)
            return 0;
    return c == NONE ? 0 : c;
}

uint32_t keymap_char(const struct keymap *km, uint16_t code, enum keymap_layer layer)
{
    if (code == ANVIL_KEY_SPACE)
        return layer == KEYMAP_ALTGR ? 0 : ' ';
    for (int r = 0; r < KEYMAP_ROWS; r++)
        if (code >= rows[r].first && code < rows[r].first + rows[r].count)
            return nth_char(km->rows[r][layer], code - rows[r].first);
    return 0;
}

const struct keymap *keymap_find(const char *name)
{
    for (const struct keymap *km = keymap_table; km->name; km++)
        if (strcmp(km->name, name) == 0)
            return km;
    return NULL;
}

static unsigned length(const char *s)
{
    unsigned n = 0;

    while (utf8_next(&s))
        n++;
    return *s ? 0 : n;   /* stopped early: malformed */
}

int keymap_check(const struct keymap *km)
{
    for (int r = 0; r < KEYMAP_ROWS; r++)
        for (int l = 0; l < KEYMAP_LAYERS; l++)
            if (km->rows[r][l] && length(km->rows[r][l]) != rows[r].count)
                return r + 1;
    return 0;
}
