/* services/virtio-blkd/virtq.h: one split virtqueue in the legacy layout
 * (Virtio 1.1 §2.6, §2.6.2 "legacy interfaces"), driven one request at a
 * time; completion by MSI-X, INTx or polled for. */
#ifndef ANVIL_VIRTIO_BLKD_VIRTQ_H
#define ANVIL_VIRTIO_BLKD_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dma.h"

#define VIRTQ_SEGS_MAX 3

/* One buffer of a request: physical address, length, device writes it. */
struct virtq_seg {
    uint64_t phys;
    uint32_t len;
    bool device_writes;
};

struct virtq {
    uint16_t size;               /* entries, as the device says */
    uint16_t last_used;          /* used->idx we have seen */
    uint16_t port;               /* the legacy I/O BAR */
    int irq_fd;                  /* the queue's MSI-X vector or INTx line, or -1: poll */
    bool line;                   /* irq_fd is an INTx line: read ISR, acknowledge */
    struct dma_buf mem;
    struct virtq_desc *desc;
    volatile struct virtq_avail *avail;
    volatile struct virtq_used *used;
};

/* Bytes the legacy layout needs for size entries. */
size_t virtq_bytes(uint16_t size);
/* Lay out queue 0's rings in freshly allocated DMA memory and tell the
 * device their page number; with irq_fd (an MSI-X vector already routed to
 * this queue, or with line the device's INTx line) the device interrupts on
 * completions, with -1 it is asked not to and we poll: 0 or -errno. */
int virtq_setup(struct virtq *q, uint16_t port, uint16_t size, int irq_fd, bool line);
/* Post a chain of n segments, notify, and wait for the device to finish it
 * (at most timeout_ms): 0, or -EIO on timeout. */
int virtq_run(struct virtq *q, const struct virtq_seg *segs, int n, int timeout_ms);

#endif
