/* services/lib/dma.h: DMA buffers from the kernel's dma: scheme (needs the
 * dma grant): zeroed, physically contiguous, mapped, with the physical
 * address a device is given. */
#ifndef ANVIL_SERVICES_LIB_DMA_H
#define ANVIL_SERVICES_LIB_DMA_H

#include <stddef.h>
#include <stdint.h>

struct dma_buf {
    void *virt;
    uint64_t phys;
    size_t size;
};

/* A buffer of size bytes (kept for the life of the process): 0 or -errno. */
int dma_alloc(size_t size, struct dma_buf *b);

#endif
