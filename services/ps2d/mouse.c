/* services/ps2d/mouse.c: decoding the PS/2 mouse's packets. Byte 0 holds
 * the buttons (bits 0-2: left, right, middle), a bit that is always 1 (bit
 * 3), the sign of x and y (bits 4, 5) and their overflow (bits 6, 7); bytes
 * 1 and 2 the low 8 bits of the 9-bit x and y movement, y counting up. */
#include <stdbool.h>
#include <string.h>

#include "mouse.h"

#define SYNC_BIT 0x08
#define X_SIGN 0x10
#define Y_SIGN 0x20
#define OVERFLOW 0xc0
#define BUTTONS 3

static const uint16_t button_codes[BUTTONS] = {ANVIL_BTN_LEFT, ANVIL_BTN_RIGHT, ANVIL_BTN_MIDDLE};

static int movement(uint8_t low, bool negative)
{
    return negative ? (int)low - 256 : (int)low;
}

static void rel_event(struct anvil_input_event *ev, uint16_t code, int32_t value)
{
    memset(ev, 0, sizeof(*ev));
    ev->type = ANVIL_INPUT_REL;
    ev->code = code;
    ev->rel = value;
}

int mouse_feed(struct mouse *m, uint8_t byte, struct anvil_input_event *ev)
{
    uint8_t flags;
    int n = 0;

    /* a first byte must have bit 3 set: otherwise we lost step, and wait */
    if (m->have == 0 && !(byte & SYNC_BIT))
        return 0;
    m->packet[m->have++] = byte;
    if (m->have < 3)
        return 0;
    m->have = 0;
    flags = m->packet[0];
    if (!(flags & OVERFLOW)) {   /* an overflowed count is meaningless: dropped */
        int dx = movement(m->packet[1], flags & X_SIGN);
        int dy = -movement(m->packet[2], flags & Y_SIGN);
        if (dx)
            rel_event(&ev[n++], ANVIL_REL_X, dx);
        if (dy)
            rel_event(&ev[n++], ANVIL_REL_Y, dy);
    }
    for (int b = 0; b < BUTTONS; b++) {
        uint8_t bit = (uint8_t)(1u << b);
        if ((flags ^ m->buttons) & bit) {
            memset(&ev[n], 0, sizeof(ev[n]));
            ev[n].type = ANVIL_INPUT_KEY;
            ev[n].code = button_codes[b];
            ev[n++].value = (flags & bit) ? ANVIL_KEY_PRESS : ANVIL_KEY_RELEASE;
        }
    }
    m->buttons = flags & ((1u << BUTTONS) - 1);
    return n;
}
