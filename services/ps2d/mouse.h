/* services/ps2d/mouse.h: the PS/2 mouse's 3-byte packets (IBM PS/2
 * Technical Reference, "Pointing Device") as input events. */
#ifndef ANVIL_PS2D_MOUSE_H
#define ANVIL_PS2D_MOUSE_H

#include <anvil/input.h>
#include <stdint.h>

#define MOUSE_EVENTS_MAX 5   /* one packet: x, y and three buttons */

struct mouse {
    uint8_t packet[3];
    int have;                /* bytes of the packet so far */
    uint8_t buttons;         /* the packet's button bits last time */
};

/* Feed one byte from the mouse: the events a completed packet makes, into
 * ev (MOUSE_EVENTS_MAX): their count (0 until a packet is whole). */
int mouse_feed(struct mouse *m, uint8_t byte, struct anvil_input_event *ev);

#endif
