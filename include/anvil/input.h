/* include/anvil/input.h: the input: scheme's key and mouse events (served
 * by ps2d). */
#ifndef ANVIL_INPUT_H
#define ANVIL_INPUT_H

#include <stdint.h>

/*
 * open("input:keyboard", O_RDONLY) gives a queue of the key events from the
 * moment of opening; read() returns whole events, as many as fit (at least
 * one: it blocks until a key is pressed; a buffer smaller than one event is
 * EINVAL). poll() says POLLIN while events wait. Each open file has its own
 * queue of ANVIL_INPUT_QUEUE events; when a reader falls that far behind,
 * the oldest are dropped.
 *
 * code is the key's position, numbered as Linux's input-event-codes.h
 * KEY_* values (so KEY_A = 30 is the key right of Caps Lock whatever the
 * layout); ch is what the keymap makes of it with the modifiers and locks
 * of the moment (a Unicode code point, 0 for none: modifiers, arrows, F-keys).
 */
#define ANVIL_INPUT_QUEUE 64

enum anvil_input_type {
    ANVIL_INPUT_KEY = 1,        /* as Linux EV_KEY: keys, and the mouse's buttons */
    ANVIL_INPUT_REL = 2,        /* as Linux EV_REL: the mouse moved (rel) */
};

/* "input:mouse" queues the mouse's events only: ANVIL_INPUT_REL with code
 * ANVIL_REL_X (rel > 0: right) or ANVIL_REL_Y (rel > 0: down, as Linux),
 * and ANVIL_INPUT_KEY with ANVIL_BTN_* codes (value press or release).
 * "input:" has both devices' events; "input:keyboard" and "input:console"
 * the keyboard's. */
#define ANVIL_REL_X 0
#define ANVIL_REL_Y 1
#define ANVIL_BTN_LEFT 0x110
#define ANVIL_BTN_RIGHT 0x111
#define ANVIL_BTN_MIDDLE 0x112

enum anvil_input_value {
    ANVIL_KEY_RELEASE = 0,
    ANVIL_KEY_PRESS = 1,
    ANVIL_KEY_REPEAT = 2,       /* the keyboard's typematic repeat while held */
};

/* mods: modifiers held and locks on when the event happened. */
#define ANVIL_MOD_SHIFT 0x0001u
#define ANVIL_MOD_CTRL 0x0002u
#define ANVIL_MOD_ALT 0x0004u
#define ANVIL_MOD_ALTGR 0x0008u
#define ANVIL_MOD_META 0x0010u
#define ANVIL_MOD_CAPSLOCK 0x0100u
#define ANVIL_MOD_NUMLOCK 0x0200u
#define ANVIL_MOD_SCROLLLOCK 0x0400u

struct anvil_input_event {
    uint64_t time_ns;           /* CLOCK_MONOTONIC when the driver saw it */
    uint16_t type;              /* enum anvil_input_type */
    uint16_t code;              /* KEY_* (Linux numbering), 1..ANVIL_KEY_MAX; BTN_*, REL_* */
    uint8_t value;              /* enum anvil_input_value */
    uint8_t reserved0;
    uint16_t mods;              /* ANVIL_MOD_* */
    uint32_t ch;                /* Unicode code point from the keymap, 0 if none */
    int32_t rel;                /* ANVIL_INPUT_REL: how far, in the device's counts */
};
_Static_assert(sizeof(struct anvil_input_event) == 24, "ABI: an input event is 24 bytes");

/* The key codes the driver itself names (Linux input-event-codes.h). */
#define ANVIL_KEY_ESC 1
#define ANVIL_KEY_1 2
#define ANVIL_KEY_BACKSPACE 14
#define ANVIL_KEY_TAB 15
#define ANVIL_KEY_Q 16
#define ANVIL_KEY_ENTER 28
#define ANVIL_KEY_LEFTCTRL 29
#define ANVIL_KEY_A 30
#define ANVIL_KEY_LEFTSHIFT 42
#define ANVIL_KEY_BACKSLASH 43
#define ANVIL_KEY_RIGHTSHIFT 54
#define ANVIL_KEY_KPASTERISK 55
#define ANVIL_KEY_LEFTALT 56
#define ANVIL_KEY_SPACE 57
#define ANVIL_KEY_CAPSLOCK 58
#define ANVIL_KEY_F1 59
#define ANVIL_KEY_F10 68
#define ANVIL_KEY_NUMLOCK 69
#define ANVIL_KEY_SCROLLLOCK 70
#define ANVIL_KEY_KP7 71
#define ANVIL_KEY_KPMINUS 74
#define ANVIL_KEY_KPPLUS 78
#define ANVIL_KEY_KPDOT 83
#define ANVIL_KEY_102ND 86
#define ANVIL_KEY_F11 87
#define ANVIL_KEY_F12 88
#define ANVIL_KEY_KPENTER 96
#define ANVIL_KEY_RIGHTCTRL 97
#define ANVIL_KEY_KPSLASH 98
#define ANVIL_KEY_RIGHTALT 100
#define ANVIL_KEY_HOME 102
#define ANVIL_KEY_UP 103
#define ANVIL_KEY_PAGEUP 104
#define ANVIL_KEY_LEFT 105
#define ANVIL_KEY_RIGHT 106
#define ANVIL_KEY_END 107
#define ANVIL_KEY_DOWN 108
#define ANVIL_KEY_PAGEDOWN 109
#define ANVIL_KEY_INSERT 110
#define ANVIL_KEY_DELETE 111
#define ANVIL_KEY_LEFTMETA 125
#define ANVIL_KEY_RIGHTMETA 126
#define ANVIL_KEY_COMPOSE 127
#define ANVIL_KEY_MAX 127

#endif
