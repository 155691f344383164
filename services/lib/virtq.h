/* services/lib/virtq.h: one split virtqueue in the legacy layout (Virtio
 * 1.1 §2.6, §2.6.2 "legacy interfaces"): driven one request at a time
 * (virtq_run; completion by MSI-X, INTx or polled for), or as a ring of
 * one-descriptor buffers (virtq_post, virtq_used_next) for a network card. */
#ifndef ANVIL_SERVICES_LIB_VIRTQ_H
#define ANVIL_SERVICES_LIB_VIRTQ_H

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

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "virtio: a descriptor is 16 bytes");

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];
};

struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[];
};

struct virtq {
    uint16_t size;               /* entries, as the device says */
    uint16_t index;              /* the queue's number in the device */
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
/* Lay out queue index's rings in freshly allocated DMA memory and tell the
 * device their page number; with irq_fd (an MSI-X vector already routed to
 * this queue, or with line the device's INTx line) the device interrupts on
 * completions, with -1 it is asked not to and we poll: 0 or -errno. */
int virtq_setup(struct virtq *q, uint16_t port, uint16_t index, uint16_t size, int irq_fd,
                bool line);
/* Post a chain of n segments, notify, and wait for the device to finish it
 * (at most timeout_ms): 0, or -EIO on timeout. */
int virtq_run(struct virtq *q, const struct virtq_seg *segs, int n, int timeout_ms);
/* Make descriptor id (already filled in) available to the device; the
 * device hears of it at virtq_kick. */
void virtq_post(struct virtq *q, uint16_t id);
/* Tell the device about what was posted. */
void virtq_kick(struct virtq *q);
/* The next buffer the device finished: true with its descriptor id and the
 * bytes it wrote, or false when there is none. */
bool virtq_used_next(struct virtq *q, uint16_t *id, uint32_t *len);

#endif
