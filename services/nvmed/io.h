/* services/nvmed/io.h: reads, writes and flushes on the namespace through
 * the I/O queue pair, with the data described by PRPs. */
#ifndef ANVIL_SERVICES_NVMED_IO_H
#define ANVIL_SERVICES_NVMED_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctrl.h"

/* A page for PRP lists: 0 or -errno. */
int nvme_io_init(void);
/* Move count blocks at lba to or from [phys, phys + count * block size): 0 or -EIO. */
int nvme_io_rw(struct nvme_ctrl *c, bool write, uint64_t lba, uint32_t count, uint64_t phys);
/* Make written blocks durable (the volatile write cache, if any): 0 or -EIO. */
int nvme_io_flush(struct nvme_ctrl *c);

#endif
