/* services/lib/vtkeys.c: a key event as a terminal's bytes, as Linux's
 * console and xterm send them with TERM=vt100 or linux: Enter is CR (the
 * tty turns it into a newline), Backspace DEL, Ctrl+letter its control
 * character, Alt+key an ESC before it, and escape sequences for arrows,
 * editing keys and F1..F12 (F1-F4 as VT100 PF1-PF4). */
#include <string.h>

#include "vtkeys.h"

#define ESC "\x1b"
#define ASCII_ESC 0x1b
#define ASCII_DEL 0x7f
#define CTRL_MASK 0x1f

/* Keys whose bytes do not depend on the keymap, modifiers aside. */
static const char *fixed_sequence(uint16_t code, unsigned mods)
{
    static const struct { uint16_t code; const char *seq; } map[] = {
        {ANVIL_KEY_ESC, ESC}, {ANVIL_KEY_BACKSPACE, "\x7f"}, {ANVIL_KEY_TAB, "\t"},
        {ANVIL_KEY_ENTER, "\r"}, {ANVIL_KEY_KPENTER, "\r"},
        {ANVIL_KEY_UP, ESC "[A"}, {ANVIL_KEY_DOWN, ESC "[B"}, {ANVIL_KEY_RIGHT, ESC "[C"},
        {ANVIL_KEY_LEFT, ESC "[D"}, {ANVIL_KEY_HOME, ESC "[1~"}, {ANVIL_KEY_INSERT, ESC "[2~"},
        {ANVIL_KEY_DELETE, ESC "[3~"}, {ANVIL_KEY_END, ESC "[4~"}, {ANVIL_KEY_PAGEUP, ESC "[5~"},
        {ANVIL_KEY_PAGEDOWN, ESC "[6~"},
        {ANVIL_KEY_F1, ESC "OP"}, {ANVIL_KEY_F1 + 1, ESC "OQ"}, {ANVIL_KEY_F1 + 2, ESC "OR"},
        {ANVIL_KEY_F1 + 3, ESC "OS"}, {ANVIL_KEY_F1 + 4, ESC "[15~"}, {ANVIL_KEY_F1 + 5, ESC "[17~"},
        {ANVIL_KEY_F1 + 6, ESC "[18~"}, {ANVIL_KEY_F1 + 7, ESC "[19~"},
        {ANVIL_KEY_F1 + 8, ESC "[20~"}, {ANVIL_KEY_F10, ESC "[21~"}, {ANVIL_KEY_F11, ESC "[23~"},
        {ANVIL_KEY_F12, ESC "[24~"},
    };
    /* the keypad without Num Lock is the editing block */
    static const uint16_t keypad_nav[] = {
        ANVIL_KEY_HOME, ANVIL_KEY_UP, ANVIL_KEY_PAGEUP, 0, ANVIL_KEY_LEFT, 0, ANVIL_KEY_RIGHT, 0,
        ANVIL_KEY_END, ANVIL_KEY_DOWN, ANVIL_KEY_PAGEDOWN, ANVIL_KEY_INSERT, ANVIL_KEY_DELETE,
    };

    if (code >= ANVIL_KEY_KP7 && code <= ANVIL_KEY_KPDOT && !(mods & ANVIL_MOD_NUMLOCK))
        code = keypad_nav[code - ANVIL_KEY_KP7];
    for (size_t i = 0; code && i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].code == code)
            return map[i].seq;
    return NULL;
}

/* Ctrl with a character: the C0 control it names, -1 when it names none. */
static int control_of(uint32_t ch)
{
    if ((ch >= '@' && ch <= '_') || (ch >= 'a' && ch <= 'z'))
        return (int)(ch & CTRL_MASK);
    switch (ch) {
    case ' ': case '2': return 0;
    case '3': return ASCII_ESC;
    case '4': return 0x1c;
    case '5': return 0x1d;
    case '6': return 0x1e;
    case '7': case '/': case '-': return 0x1f;
    case '8': case '?': return ASCII_DEL;
    default: return -1;
    }
}

static size_t utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    out[0] = (char)(0xe0 | c >> 12);
    out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
    out[2] = (char)(0x80 | (c & 0x3f));
    return 3;
}

size_t vtkeys_bytes(const struct anvil_input_event *ev, char *out)
{
    const char *seq = fixed_sequence(ev->code, ev->mods);
    size_t n = 0;
    int ctl;

    if (ev->value == ANVIL_KEY_RELEASE || (!seq && !ev->ch))
        return 0;
    if (ev->mods & ANVIL_MOD_ALT)
        out[n++] = ASCII_ESC;   /* meta sends escape, as Linux's console does */
    if (seq) {
        memcpy(out + n, seq, strlen(seq));
        return n + strlen(seq);
    }
    if ((ev->mods & ANVIL_MOD_CTRL) && (ctl = control_of(ev->ch)) >= 0) {
        out[n++] = (char)ctl;
        return n;
    }
    return n + utf8_put(ev->ch, out + n);
}
