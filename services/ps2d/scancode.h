/* services/ps2d/scancode.h: scan code set 1 (what the 8042 hands on with
 * translation on) to key codes (Linux KEY_* numbers, include/anvil/input.h). */
#ifndef ANVIL_PS2D_SCANCODE_H
#define ANVIL_PS2D_SCANCODE_H

#include <stdbool.h>
#include <stdint.h>

struct scancode_state {
    uint8_t prefix;        /* 0, 0xe0, or 0xe1 while a Pause sequence runs */
    uint8_t skip;          /* bytes of a Pause sequence still to come */
};

/* Feed one byte: true when it completed a key, with *code (1..ANVIL_KEY_MAX)
 * and *pressed set; false for prefixes, acknowledgements and unknown keys. */
bool scancode_feed(struct scancode_state *s, uint8_t byte, uint16_t *code, bool *pressed);

#endif
