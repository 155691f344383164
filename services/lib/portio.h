/* services/lib/portio.h: in/out for drivers holding an ioport: grant (the
 * ports must be opened through ioport: first, else the CPU faults). Plain
 * "d" constraints, which tcc understands too. */
#ifndef ANVIL_SERVICES_LIB_PORTIO_H
#define ANVIL_SERVICES_LIB_PORTIO_H

#include <stdint.h>

static inline void port_out8(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "d"(port));
}

static inline void port_out16(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "d"(port));
}

static inline void port_out32(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "d"(port));
}

static inline uint8_t port_in8(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "d"(port));
    return v;
}

static inline uint16_t port_in16(uint16_t port)
{
    uint16_t v;

    __asm__ volatile("inw %1, %0" : "=a"(v) : "d"(port));
    return v;
}

static inline uint32_t port_in32(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "d"(port));
    return v;
}

#endif
