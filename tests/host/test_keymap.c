/* tests/host/test_keymap.c: ps2d's key path on the host: scan code set 1
 * decoding, the layouts (every row complete; keys that differ between
 * us, de, fr and uk), modifiers, locks, repeat, and the bytes a terminal
 * gets for a key; and the mouse's packets. */
#include <string.h>

#include "keyboard.h"
#include "keymap.h"
#include "mouse.h"
#include "scancode.h"
#include "tap.h"
#include "vtkeys.h"

#define SC_A 0x1e
#define BREAK 0x80

/* The bytes one press of code sends with k's state, as a C string. */
static const char *press(struct keyboard *k, uint16_t code)
{
    static char out[VTKEYS_MAX + 1];
    struct anvil_input_event ev;
    size_t n;

    keyboard_key(k, code, true, &ev);
    n = vtkeys_bytes(&ev, out);
    out[n] = '\0';
    keyboard_key(k, code, false, &ev);
    return out;
}

static void hold(struct keyboard *k, uint16_t code, bool down)
{
    struct anvil_input_event ev;

    keyboard_key(k, code, down, &ev);
}

static void test_scancodes(void)
{
    struct scancode_state s = {0};
    uint16_t code = 0;
    bool pressed = false;

    tap_ok(scancode_feed(&s, SC_A, &code, &pressed) && code == ANVIL_KEY_A && pressed,
           "set 1: 0x1e is A pressed");
    tap_ok(scancode_feed(&s, SC_A | BREAK, &code, &pressed) && code == ANVIL_KEY_A && !pressed,
           "set 1: 0x9e is A released");
    tap_ok(!scancode_feed(&s, 0xe0, &code, &pressed) &&
           scancode_feed(&s, 0x48, &code, &pressed) && code == ANVIL_KEY_UP,
           "set 1: E0 48 is Up");
    tap_ok(!scancode_feed(&s, 0xe0, &code, &pressed) && !scancode_feed(&s, 0x2a, &code, &pressed),
           "set 1: E0 2A (a fake shift around PrtSc) is no key");
    tap_ok(scancode_feed(&s, 0xaa, &code, &pressed) && code == ANVIL_KEY_LEFTSHIFT && !pressed,
           "set 1: 0xaa is Left Shift released");
    tap_ok(!scancode_feed(&s, 0xfa, &code, &pressed), "set 1: an ACK is no key");
}

static void test_layouts(void)
{
    const struct keymap *us = keymap_find("us"), *de = keymap_find("de");
    const struct keymap *fr = keymap_find("fr"), *uk = keymap_find("uk");

    for (const struct keymap *km = keymap_table; km->name; km++)
        tap_is_int(keymap_check(km), 0, km->name);
    tap_ok(us && de && fr && uk && !keymap_find("xx"), "us, de, fr, uk and no other");
    if (!us || !de || !fr || !uk)
        return;
    tap_is_int(keymap_char(us, 44, KEYMAP_PLAIN), 'z', "us: the key left of X is z");
    tap_is_int(keymap_char(de, 44, KEYMAP_PLAIN), 'y', "de: the key left of X is y");
    tap_is_int(keymap_char(de, 21, KEYMAP_PLAIN), 'z', "de: the key right of T is z");
    tap_is_int(keymap_char(fr, ANVIL_KEY_Q, KEYMAP_PLAIN), 'a', "fr: the key right of Tab is a");
    tap_is_int(keymap_char(fr, ANVIL_KEY_1, KEYMAP_SHIFT), '1', "fr: Shift+& is 1");
    tap_is_int(keymap_char(uk, ANVIL_KEY_1 + 2, KEYMAP_SHIFT), 0xa3, "uk: Shift+3 is a pound sign");
    tap_is_int(keymap_char(us, ANVIL_KEY_1 + 1, KEYMAP_SHIFT), '@', "us: Shift+2 is @");
    tap_is_int(keymap_char(uk, ANVIL_KEY_1 + 1, KEYMAP_SHIFT), '"', "uk: Shift+2 is \"");
    tap_is_int(keymap_char(de, ANVIL_KEY_Q, KEYMAP_ALTGR), '@', "de: AltGr+q is @");
    tap_is_int(keymap_char(us, ANVIL_KEY_Q, KEYMAP_ALTGR), 0, "us: AltGr+q is nothing");
}

static void test_modifiers(void)
{
    struct keyboard k = {.km = keymap_find("us")};
    struct keyboard de = {.km = keymap_find("de")};
    struct anvil_input_event ev;

    tap_is_str(press(&k, ANVIL_KEY_A), "a", "a");
    hold(&k, ANVIL_KEY_LEFTSHIFT, true);
    tap_is_str(press(&k, ANVIL_KEY_A), "A", "Shift+a");
    tap_is_str(press(&k, ANVIL_KEY_BACKSLASH), "|", "Shift+\\ is |");
    hold(&k, ANVIL_KEY_LEFTSHIFT, false);
    tap_ok(keyboard_key(&k, ANVIL_KEY_CAPSLOCK, true, &ev), "Caps Lock asks for the LEDs");
    hold(&k, ANVIL_KEY_CAPSLOCK, false);
    tap_is_str(press(&k, ANVIL_KEY_A), "A", "Caps Lock: a is A");
    tap_is_str(press(&k, ANVIL_KEY_1), "1", "Caps Lock leaves digits alone");
    hold(&k, ANVIL_KEY_RIGHTSHIFT, true);
    tap_is_str(press(&k, ANVIL_KEY_A), "a", "Caps Lock and Shift: a");
    hold(&k, ANVIL_KEY_RIGHTSHIFT, false);
    hold(&k, ANVIL_KEY_LEFTCTRL, true);
    tap_is_str(press(&k, 46), "\x03", "Ctrl+c is ^C (with Caps Lock on too)");
    hold(&k, ANVIL_KEY_LEFTCTRL, false);
    hold(&k, ANVIL_KEY_LEFTALT, true);
    tap_is_str(press(&k, 48), "\x1b" "B", "Alt+b is ESC b (Caps Lock on)");
    hold(&k, ANVIL_KEY_LEFTALT, false);
    keyboard_key(&k, ANVIL_KEY_A, true, &ev);
    keyboard_key(&k, ANVIL_KEY_A, true, &ev);
    tap_is_int(ev.value, ANVIL_KEY_REPEAT, "a second make without a break is a repeat");
    hold(&k, ANVIL_KEY_A, false);
    hold(&de, ANVIL_KEY_RIGHTALT, true);
    tap_is_str(press(&de, ANVIL_KEY_Q), "@", "de: AltGr+q types @");
    hold(&de, ANVIL_KEY_RIGHTALT, false);
    tap_is_str(press(&de, ANVIL_KEY_1 + 10), "\xc3\x9f", "de: the key right of 0 types ß in UTF-8");
}

static void test_sequences(void)
{
    struct keyboard k = {.km = keymap_find("us")};

    tap_is_str(press(&k, ANVIL_KEY_UP), "\x1b[A", "Up is ESC [ A");
    tap_is_str(press(&k, ANVIL_KEY_HOME), "\x1b[1~", "Home is ESC [ 1 ~");
    tap_is_str(press(&k, ANVIL_KEY_DELETE), "\x1b[3~", "Delete is ESC [ 3 ~");
    tap_is_str(press(&k, ANVIL_KEY_F1), "\x1bOP", "F1 is ESC O P");
    tap_is_str(press(&k, ANVIL_KEY_F12), "\x1b[24~", "F12 is ESC [ 2 4 ~");
    tap_is_str(press(&k, ANVIL_KEY_ENTER), "\r", "Enter is CR");
    tap_is_str(press(&k, ANVIL_KEY_BACKSPACE), "\x7f", "Backspace is DEL");
    tap_is_str(press(&k, ANVIL_KEY_KP7), "\x1b[1~", "keypad 7 without Num Lock is Home");
    hold(&k, ANVIL_KEY_NUMLOCK, true);
    hold(&k, ANVIL_KEY_NUMLOCK, false);
    tap_is_str(press(&k, ANVIL_KEY_KP7), "7", "keypad 7 with Num Lock is 7");
    tap_is_str(press(&k, ANVIL_KEY_LEFTSHIFT), "", "a modifier alone sends nothing");
}

/* Feed a packet's bytes: the events of the last one's count. */
static int packet(struct mouse *m, const uint8_t *b, int n, struct anvil_input_event *ev)
{
    int got = 0;

    for (int i = 0; i < n; i++)
        got = mouse_feed(m, b[i], ev);
    return got;
}

/* Motion right and down (y counts up in the packet, down in events, as
 * Linux), 9-bit negatives, buttons as press and release, overflow and a
 * lost byte. */
static void test_mouse(void)
{
    static const uint8_t right_left_down[] = {0x09, 10, 0};
    static const uint8_t down_left_up[] = {0x38, 0xfe, 0xfb};
    static const uint8_t overflow_release[] = {0xc8, 0x55, 0x55};
    static const uint8_t resync[] = {0x00, 0x08, 0x01, 0x00};
    struct mouse m = {0};
    struct anvil_input_event ev[MOUSE_EVENTS_MAX];

    tap_is_int(packet(&m, right_left_down, 3, ev), 2, "mouse: x 10 and the left button: 2 events");
    tap_ok(ev[0].type == ANVIL_INPUT_REL && ev[0].code == ANVIL_REL_X && ev[0].rel == 10,
           "mouse: REL_X +10");
    tap_ok(ev[1].type == ANVIL_INPUT_KEY && ev[1].code == ANVIL_BTN_LEFT &&
           ev[1].value == ANVIL_KEY_PRESS, "mouse: BTN_LEFT pressed");
    tap_is_int(packet(&m, down_left_up, 3, ev), 3, "mouse: x -2, y -5 in the packet, left released");
    tap_ok(ev[0].rel == -2 && ev[1].code == ANVIL_REL_Y && ev[1].rel == 5,
           "mouse: REL_X -2, REL_Y +5 (down)");
    tap_ok(ev[2].code == ANVIL_BTN_LEFT && ev[2].value == ANVIL_KEY_RELEASE, "mouse: BTN_LEFT released");
    tap_is_int(packet(&m, overflow_release, 3, ev), 0, "mouse: an overflowed packet moves nothing");
    tap_is_int(packet(&m, resync, 4, ev), 1, "mouse: a byte without the sync bit is skipped");
    tap_ok(ev[0].code == ANVIL_REL_X && ev[0].rel == 1, "mouse: and the next packet reads right");
}

int main(void)
{
    test_scancodes();
    test_layouts();
    test_modifiers();
    test_sequences();
    test_mouse();
    return tap_done();
}
