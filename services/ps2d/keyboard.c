/* services/ps2d/keyboard.c: modifiers, locks and repeat (keyboard.h). Caps
 * Lock works as Shift for letters only, Num Lock turns the keypad's keys into
 * digits, AltGr (the right Alt) picks the layout's third layer. */
#include <string.h>

#include "keyboard.h"

#define HELD_LSHIFT 0x01u
#define HELD_RSHIFT 0x02u
#define HELD_LCTRL 0x04u
#define HELD_RCTRL 0x08u
#define HELD_ALT 0x10u
#define HELD_ALTGR 0x20u
#define HELD_LMETA 0x40u
#define HELD_RMETA 0x80u

#define LATIN1_LOWER_FIRST 0xdf   /* ß .. ÿ, but for ÷ */
#define LATIN1_DIVIDE 0xf7

static unsigned modifier_bit(uint16_t code)
{
    switch (code) {
    case ANVIL_KEY_LEFTSHIFT: return HELD_LSHIFT;
    case ANVIL_KEY_RIGHTSHIFT: return HELD_RSHIFT;
    case ANVIL_KEY_LEFTCTRL: return HELD_LCTRL;
    case ANVIL_KEY_RIGHTCTRL: return HELD_RCTRL;
    case ANVIL_KEY_LEFTALT: return HELD_ALT;
    case ANVIL_KEY_RIGHTALT: return HELD_ALTGR;
    case ANVIL_KEY_LEFTMETA: return HELD_LMETA;
    case ANVIL_KEY_RIGHTMETA: return HELD_RMETA;
    default: return 0;
    }
}

static unsigned lock_bit(uint16_t code)
{
    return code == ANVIL_KEY_CAPSLOCK ? ANVIL_MOD_CAPSLOCK
         : code == ANVIL_KEY_NUMLOCK ? ANVIL_MOD_NUMLOCK
         : code == ANVIL_KEY_SCROLLLOCK ? ANVIL_MOD_SCROLLLOCK : 0;
}

static unsigned mods_of(const struct keyboard *k)
{
    unsigned h = k->held, m = k->locks;

    m |= (h & (HELD_LSHIFT | HELD_RSHIFT)) ? ANVIL_MOD_SHIFT : 0;
    m |= (h & (HELD_LCTRL | HELD_RCTRL)) ? ANVIL_MOD_CTRL : 0;
    m |= (h & HELD_ALT) ? ANVIL_MOD_ALT : 0;
    m |= (h & HELD_ALTGR) ? ANVIL_MOD_ALTGR : 0;
    m |= (h & (HELD_LMETA | HELD_RMETA)) ? ANVIL_MOD_META : 0;
    return m;
}

static bool is_lower_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= LATIN1_LOWER_FIRST && c <= 0xff && c != LATIN1_DIVIDE);
}

/* The keypad: digits and '.' under Num Lock, the operators always. */
static uint32_t keypad_char(uint16_t code, unsigned mods)
{
    static const char digits[] = "789-456+1230.";   /* KP7 .. KPDOT */

    switch (code) {
    case ANVIL_KEY_KPASTERISK: return '*';
    case ANVIL_KEY_KPSLASH: return '/';
    case ANVIL_KEY_KPMINUS: return '-';
    case ANVIL_KEY_KPPLUS: return '+';
    }
    if (code >= ANVIL_KEY_KP7 && code <= ANVIL_KEY_KPDOT && (mods & ANVIL_MOD_NUMLOCK))
        return (uint32_t)digits[code - ANVIL_KEY_KP7];
    return 0;
}

static uint32_t char_of(const struct keyboard *k, uint16_t code, unsigned mods)
{
    uint32_t plain = keymap_char(k->km, code, KEYMAP_PLAIN);
    bool shift = (mods & ANVIL_MOD_SHIFT) != 0;

    if (!plain)
        return keypad_char(code, mods);
    if (mods & ANVIL_MOD_ALTGR)
        return keymap_char(k->km, code, KEYMAP_ALTGR);
    if ((mods & ANVIL_MOD_CAPSLOCK) && is_lower_letter(plain))
        shift = !shift;
    return shift ? keymap_char(k->km, code, KEYMAP_SHIFT) : plain;
}

bool keyboard_key(struct keyboard *k, uint16_t code, bool pressed, struct anvil_input_event *ev)
{
    uint8_t bit = (uint8_t)(1u << (code % 8));
    bool was_down = (k->down[code / 8] & bit) != 0, locks_changed = false;
    unsigned mod = modifier_bit(code);

    memset(ev, 0, sizeof(*ev));
    ev->type = ANVIL_INPUT_KEY;
    ev->code = code;
    ev->value = !pressed ? ANVIL_KEY_RELEASE : was_down ? ANVIL_KEY_REPEAT : ANVIL_KEY_PRESS;
    if (pressed)
        k->down[code / 8] |= bit;
    else
        k->down[code / 8] &= (uint8_t)~bit;
    if (mod)
        k->held = pressed ? k->held | mod : k->held & ~mod;
    if (ev->value == ANVIL_KEY_PRESS && lock_bit(code)) {
        k->locks ^= lock_bit(code);
        locks_changed = true;
    }
    ev->mods = (uint16_t)mods_of(k);
    ev->ch = pressed ? char_of(k, code, ev->mods) : 0;
    return locks_changed;
}
