/* services/ps2d/keyboard.h: key state: modifiers held, locks on, keys down
 * (to tell the keyboard's typematic repeat from a new press), and the
 * character a key gives under the keymap. */
#ifndef ANVIL_PS2D_KEYBOARD_H
#define ANVIL_PS2D_KEYBOARD_H

#include <anvil/input.h>
#include <stdbool.h>
#include <stdint.h>

#include "keymap.h"

struct keyboard {
    const struct keymap *km;
    unsigned held;                          /* HELD_* bits (keyboard.c) */
    unsigned locks;                         /* ANVIL_MOD_*LOCK */
    uint8_t down[(ANVIL_KEY_MAX + 8) / 8];  /* keys pressed and not released */
};

/* A key went down or up: fill ev (time left to the caller). true when a
 * lock changed, so the LEDs need setting. */
bool keyboard_key(struct keyboard *k, uint16_t code, bool pressed, struct anvil_input_event *ev);

#endif
