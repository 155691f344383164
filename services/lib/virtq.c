/* services/lib/virtq.c: the legacy split virtqueue: descriptor
 * table, then the available ring, then (at the next 4 KiB) the used ring,
 * all in one physically contiguous DMA buffer whose page number goes to the
 * QUEUE_PFN register. virtq_run keeps one request in flight, so descriptors
 * 0..n-1 are reused for every chain; virtq_post and virtq_used_next let a
 * driver keep many one-descriptor buffers posted. */
#include <errno.h>

#include "pollwait.h"
#include "portio.h"
#include "virtio_pci.h"
#include "virtq.h"

#define VIRTQ_ALIGN 4096            /* legacy QUEUE_ALIGN (§2.6.2) */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1  /* when we poll: spare the device the interrupt */

static size_t align_up(size_t n)
{
    return (n + VIRTQ_ALIGN - 1) & ~(size_t)(VIRTQ_ALIGN - 1);
}

/* The descriptor table and the available ring (with its used_event). */
static size_t driver_part(uint16_t size)
{
    return 16u * size + 2 * (3u + size);
}

size_t virtq_bytes(uint16_t size)
{
    return align_up(driver_part(size)) + align_up(2 * 3u + 8u * size);
}

int virtq_setup(struct virtq *q, uint16_t port, uint16_t index, uint16_t size, int irq_fd,
                bool line)
{
    int err;

    if ((err = dma_alloc(virtq_bytes(size), &q->mem)) < 0)
        return err;
    q->size = size;
    q->index = index;
    q->port = port;
    q->last_used = 0;
    q->irq_fd = irq_fd;
    q->line = line && irq_fd >= 0;
    q->desc = q->mem.virt;
    q->avail = (void *)((uint8_t *)q->mem.virt + 16u * size);
    q->used = (void *)((uint8_t *)q->mem.virt + align_up(driver_part(size)));
    q->avail->flags = irq_fd >= 0 ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;
    port_out16((uint16_t)(port + VIRTIO_PCI_QUEUE_SEL), index);
    port_out32((uint16_t)(port + VIRTIO_PCI_QUEUE_PFN), (uint32_t)(q->mem.phys / VIRTQ_ALIGN));
    return 0;
}

/* Reading ISR tells the device we saw its interrupt: it lowers INTx. */
static void isr_read(void *arg)
{
    struct virtq *q = arg;

    port_in8((uint16_t)(q->port + VIRTIO_PCI_ISR));
}

static bool used_moved(void *arg)
{
    struct virtq *q = arg;

    return q->used->idx != q->last_used;
}

int virtq_run(struct virtq *q, const struct virtq_seg *segs, int n, int timeout_ms)
{
    for (int i = 0; i < n; i++) {
        q->desc[i].addr = segs[i].phys;
        q->desc[i].len = segs[i].len;
        q->desc[i].flags = (uint16_t)((i + 1 < n ? VIRTQ_DESC_F_NEXT : 0) |
                                      (segs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0));
        q->desc[i].next = (uint16_t)(i + 1);
    }
    virtq_post(q, 0);
    virtq_kick(q);
    if ((q->line ? poll_line_until(q->irq_fd, used_moved, isr_read, q, timeout_ms)
                 : poll_irq_until(q->irq_fd, used_moved, q, timeout_ms)) < 0)
        return -EIO;
    q->last_used++;
    if (q->irq_fd < 0)   /* polled: lower INTx all the same if raised */
        isr_read(q);
    return 0;
}

void virtq_post(struct virtq *q, uint16_t id)
{
    uint16_t idx = q->avail->idx;

    q->avail->ring[idx % q->size] = id;
    __asm__ volatile("" ::: "memory");   /* the entry before the index (x86 keeps store order) */
    q->avail->idx = (uint16_t)(idx + 1);
}

void virtq_kick(struct virtq *q)
{
    __asm__ volatile("" ::: "memory");
    port_out16((uint16_t)(q->port + VIRTIO_PCI_QUEUE_NOTIFY), q->index);
}

bool virtq_used_next(struct virtq *q, uint16_t *id, uint32_t *len)
{
    const volatile struct virtq_used_elem *e;

    if (q->used->idx == q->last_used)
        return false;
    __asm__ volatile("" ::: "memory");   /* the index before the entry it covers */
    e = &q->used->ring[q->last_used % q->size];
    *id = (uint16_t)e->id;
    *len = e->len;
    q->last_used++;
    return true;
}
