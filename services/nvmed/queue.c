/* services/nvmed/queue.c: a queue pair (NVMe 1.4 §4.1, §4.6, §7.2): the
 * controller flips each completion's phase tag on every pass through the
 * completion queue, so a new entry is one whose tag is the one we expect.
 * A completion for an older command (one we gave up waiting for) is
 * consumed and skipped. */
#include <errno.h>
#include <string.h>

#include "mmio.h"
#include "pollwait.h"
#include "queue.h"

#define STATUS_FIELD(s) ((s) >> 1)

/* Doorbell y of the controller (§3.1.24): 4 << stride bytes apart. */
static volatile void *doorbell(volatile void *regs, unsigned index, unsigned dstrd)
{
    return (volatile uint8_t *)regs + NVME_DOORBELLS + (size_t)index * (4u << dstrd);
}

int nvme_queue_init(struct nvme_queue *q, uint16_t id, uint16_t size, volatile void *regs,
                    unsigned dstrd)
{
    int err;

    memset(q, 0, sizeof(*q));
    if ((err = dma_alloc((size_t)size * sizeof(struct nvme_sqe), &q->sq)) < 0 ||
        (err = dma_alloc((size_t)size * sizeof(struct nvme_cqe), &q->cq)) < 0)
        return err;
    q->id = id;
    q->size = size;
    q->irq_fd = -1;
    q->phase = NVME_CQE_PHASE;
    q->sq_bell = doorbell(regs, 2u * id, dstrd);
    q->cq_bell = doorbell(regs, 2u * id + 1, dstrd);
    return 0;
}

static volatile struct nvme_cqe *cq_head(struct nvme_queue *q)
{
    return (volatile struct nvme_cqe *)q->cq.virt + q->cq_head;
}

static bool completion_new(void *arg)
{
    struct nvme_queue *q = arg;

    return (cq_head(q)->status & NVME_CQE_PHASE) == q->phase;
}

/* Take the entry at the head and tell the controller its slot is free again. */
static struct nvme_cqe completion_take(struct nvme_queue *q)
{
    struct nvme_cqe c = *(struct nvme_cqe *)cq_head(q);

    if (++q->cq_head == q->size) {
        q->cq_head = 0;
        q->phase ^= NVME_CQE_PHASE;
    }
    mmio_write32(q->cq_bell, 0, q->cq_head);
    return c;
}

int nvme_queue_run(struct nvme_queue *q, struct nvme_sqe *cmd, uint32_t *result, int timeout_ms)
{
    struct nvme_cqe c;

    cmd->cid = q->next_cid++;
    memcpy((struct nvme_sqe *)q->sq.virt + q->sq_tail, cmd, sizeof(*cmd));
    q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->size);
    mmio_barrier();
    mmio_write32(q->sq_bell, 0, q->sq_tail);
    do {
        if (poll_irq_until(q->irq_fd, completion_new, q, timeout_ms) < 0)
            return -EIO;
        c = completion_take(q);
    } while (c.cid != cmd->cid);
    if (STATUS_FIELD(c.status))
        return -EIO;
    if (result)
        *result = c.result;
    return 0;
}
