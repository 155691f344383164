/* services/ps2d/port.h: x86 port I/O from user mode; works only on ports
 * opened through ioport: (the kernel's I/O permission bitmap). */
#ifndef ANVIL_PS2D_PORT_H
#define ANVIL_PS2D_PORT_H

#include <stdint.h>

static inline uint8_t port_in(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "d"(port));
    return v;
}

static inline void port_out(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "d"(port));
}

#endif
