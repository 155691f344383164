/* services/lib/mmio.h: loads and stores to a device's registers mapped
 * through memory: (uncached), as single accesses of the register's width
 * the compiler may not merge, split or reorder. */
#ifndef ANVIL_SERVICES_LIB_MMIO_H
#define ANVIL_SERVICES_LIB_MMIO_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t mmio_read32(volatile void *base, size_t off)
{
    return *(volatile uint32_t *)((volatile uint8_t *)base + off);
}

static inline void mmio_write32(volatile void *base, size_t off, uint32_t v)
{
    *(volatile uint32_t *)((volatile uint8_t *)base + off) = v;
}

/* Two 32-bit halves, low first: what the AHCI and NVMe specs allow for 64-bit registers. */
static inline uint64_t mmio_read64(volatile void *base, size_t off)
{
    uint64_t lo = mmio_read32(base, off);

    return lo | (uint64_t)mmio_read32(base, off + 4) << 32;
}

static inline void mmio_write64(volatile void *base, size_t off, uint64_t v)
{
    mmio_write32(base, off, (uint32_t)v);
    mmio_write32(base, off + 4, (uint32_t)(v >> 32));
}

/* Stores to DMA memory before this one (x86 keeps store order; this keeps the compiler's). */
static inline void mmio_barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

#endif
