/* services/ps2d/keymap.h: keyboard layouts: which character each key gives
 * alone, with Shift and with AltGr. */
#ifndef ANVIL_PS2D_KEYMAP_H
#define ANVIL_PS2D_KEYMAP_H

#include <stdint.h>

enum keymap_layer { KEYMAP_PLAIN, KEYMAP_SHIFT, KEYMAP_ALTGR, KEYMAP_LAYERS };

/* The rows of character keys, each a run of consecutive key codes. */
enum keymap_row { KEYMAP_ROW_DIGITS, KEYMAP_ROW_TOP, KEYMAP_ROW_HOME, KEYMAP_ROW_BOTTOM,
                  KEYMAP_ROW_102ND, KEYMAP_ROWS };

/* One layout: per row and layer a UTF-8 string with one character per key of
 * the row, ' ' where the key gives nothing (NULL: the layer is empty). */
struct keymap {
    const char *name;
    const char *rows[KEYMAP_ROWS][KEYMAP_LAYERS];
};

/* The layouts built in (keymaps.c), ending with a NULL name. */
extern const struct keymap keymap_table[];

/* The layout called name, or NULL. */
const struct keymap *keymap_find(const char *name);
/* The character key code gives on layer, 0 for none. */
uint32_t keymap_char(const struct keymap *km, uint16_t code, enum keymap_layer layer);
/* 0 when every row of km has one character per key, else the first bad row + 1. */
int keymap_check(const struct keymap *km);

#endif
