/* services/nvmed/queue.h: one NVMe submission/completion queue pair in DMA
 * memory, with one command in flight: submit, ring the doorbell, wait for
 * the completion queue's phase tag (sleeping on its interrupt, if it has one). */
#ifndef ANVIL_SERVICES_NVMED_QUEUE_H
#define ANVIL_SERVICES_NVMED_QUEUE_H

#include <stdint.h>

#include "dma.h"
#include "nvme.h"

struct nvme_queue {
    uint16_t id, size;         /* queue id (0: admin), entries */
    struct dma_buf sq, cq;
    uint16_t sq_tail, cq_head;
    uint16_t phase;            /* the tag a new completion carries */
    uint16_t next_cid;
    volatile void *sq_bell, *cq_bell;
    int irq_fd;                /* the completion queue's MSI-X vector, or -1: poll */
};

/* Memory for queue pair id of size entries, doorbells from the controller's
 * registers and stride: 0 or -errno. */
int nvme_queue_init(struct nvme_queue *q, uint16_t id, uint16_t size, volatile void *regs,
                    unsigned dstrd);
/* Run cmd and wait for its completion: 0 with its result in *result (may be
 * NULL), or -EIO (an error status, or a timeout). */
int nvme_queue_run(struct nvme_queue *q, struct nvme_sqe *cmd, uint32_t *result, int timeout_ms);

#endif
