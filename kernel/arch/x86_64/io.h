/* kernel/arch/x86_64/io.h: port I/O instructions. Drivers outside arch/ include
 * this header rather than writing inline asm themselves. */
#ifndef ANVIL_ARCH_X86_64_IO_H
#define ANVIL_ARCH_X86_64_IO_H

#include <stdint.h>

static inline void x86_outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline uint8_t x86_inb(uint16_t port)
{
    uint8_t value;

    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

static inline void x86_outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline uint32_t x86_inl(uint16_t port)
{
    uint32_t value;

    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

#endif
