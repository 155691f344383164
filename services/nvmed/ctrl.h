/* services/nvmed/ctrl.h: an NVMe controller: reset and enable with its admin
 * queue, the admin commands that find the namespace and make one I/O queue
 * pair, and the namespace's geometry. */
#ifndef ANVIL_SERVICES_NVMED_CTRL_H
#define ANVIL_SERVICES_NVMED_CTRL_H

#include <stddef.h>
#include <stdint.h>

#include "dma.h"
#include "queue.h"

struct nvme_ctrl {
    volatile void *regs;
    size_t regs_size;
    uint64_t cap;
    int timeout_ms;            /* CAP.TO: how long enabling and disabling may take */
    struct nvme_queue admin, io;
    uint32_t nsid;
    uint64_t sectors;
    uint32_t sector_size;
    size_t max_bytes;          /* per command (MDTS), 0: no limit */
    struct dma_buf scratch;    /* a page for IDENTIFY data */
};

/* Reset the controller at regs and enable it with an admin queue: 0 or -errno. */
int nvme_ctrl_start(struct nvme_ctrl *c, volatile void *regs, size_t regs_size);
/* IDENTIFY the controller and its first active namespace, and create I/O
 * queue pair 1, its completions on MSI-X vector 0 counted by irq_fd (-1:
 * no interrupts, poll): 0, -ENODEV for a namespace we cannot serve, or -errno. */
int nvme_ctrl_setup(struct nvme_ctrl *c, int irq_fd);

#endif
