/* services/ps2d/scancode.c: decoding scan code set 1. A key sends its make
 * code when pressed and the same with bit 7 set when released; keys added
 * after the XT come after an 0xe0 prefix. Pause sends E1 1D 45 E1 9D C5 and
 * no release. The key numbers are Linux's, which for unprefixed codes up to
 * F12 are the scan codes themselves. */
#include <anvil/input.h>

#include "scancode.h"

#define PREFIX_E0 0xe0
#define PREFIX_E1 0xe1
#define BREAK_BIT 0x80
#define LAST_PLAIN 0x58             /* F12; higher unprefixed codes are rare vendor keys */
#define PAUSE_TAIL 5                /* bytes after E1 */
#define FAKE_SHIFT_LEFT 0x2a        /* E0 2A / E0 AA: sent around PrtSc and the */
#define FAKE_SHIFT_RIGHT 0x36       /* navigation keys; not real shift presses */
#define PAUSE_KEY 119               /* KEY_PAUSE */

/* Keyboard answers and errors that can come between scan codes (0xaa, the
 * self-test result, is also Left Shift's release, so it counts as a key). */
static bool is_control_byte(uint8_t b)
{
    return b == 0x00 || b == 0xfa || b == 0xfe || b == 0xee || b == 0xff;
}

/* 0xe0-prefixed make codes and their keys. */
static uint16_t extended_key(uint8_t make)
{
    static const struct { uint8_t make; uint8_t key; } map[] = {
        {0x1c, ANVIL_KEY_KPENTER}, {0x1d, ANVIL_KEY_RIGHTCTRL}, {0x35, ANVIL_KEY_KPSLASH},
        {0x38, ANVIL_KEY_RIGHTALT}, {0x47, ANVIL_KEY_HOME},     {0x48, ANVIL_KEY_UP},
        {0x49, ANVIL_KEY_PAGEUP},   {0x4b, ANVIL_KEY_LEFT},     {0x4d, ANVIL_KEY_RIGHT},
        {0x4f, ANVIL_KEY_END},      {0x50, ANVIL_KEY_DOWN},     {0x51, ANVIL_KEY_PAGEDOWN},
        {0x52, ANVIL_KEY_INSERT},   {0x53, ANVIL_KEY_DELETE},   {0x5b, ANVIL_KEY_LEFTMETA},
        {0x5c, ANVIL_KEY_RIGHTMETA}, {0x5d, ANVIL_KEY_COMPOSE},
    };
    for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].make == make)
            return map[i].key;
    return 0;
}

bool scancode_feed(struct scancode_state *s, uint8_t byte, uint16_t *code, bool *pressed)
{
    uint8_t prefix = s->prefix, make = byte & (uint8_t)~BREAK_BIT;

    if (s->skip) {
        if (--s->skip == 0) {
            s->prefix = 0;
            *code = PAUSE_KEY;
            *pressed = true;
            return PAUSE_KEY <= ANVIL_KEY_MAX;
        }
        return false;
    }
    if (byte == PREFIX_E0 || (byte == PREFIX_E1 && !prefix)) {
        s->prefix = byte;
        s->skip = byte == PREFIX_E1 ? PAUSE_TAIL : 0;
        return false;
    }
    s->prefix = 0;
    if (is_control_byte(byte))
        return false;
    *pressed = !(byte & BREAK_BIT);
    if (prefix == PREFIX_E0) {
        if (make == FAKE_SHIFT_LEFT || make == FAKE_SHIFT_RIGHT)
            return false;
        *code = extended_key(make);
    } else {
        *code = make <= LAST_PLAIN ? make : 0;
    }
    return *code != 0;
}
