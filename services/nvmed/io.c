/* services/nvmed/io.c: NVM commands (NVM Command Set 1.4 §6.9, §6.14, §6.8)
 * and their PRPs (Base 1.4 §4.3): PRP1 is the first byte, which may sit
 * inside a page; the rest are whole pages: PRP2 names the second page
 * itself when there are only two, else a PRP list of the page addresses. */
#include <errno.h>

#include "io.h"

#define IO_MS 10000
#define PRP_LIST_ENTRIES (NVME_PAGE / sizeof(uint64_t))

static struct dma_buf prp_list;        /* one page: 512 pages of data, 2 MiB */

int nvme_io_init(void)
{
    return dma_alloc(NVME_PAGE, &prp_list);
}

/* PRP1 and PRP2 for [phys, phys + bytes) into cmd: 0, or -EINVAL when the list would not fit. */
static int prps_fill(struct nvme_sqe *cmd, uint64_t phys, size_t bytes)
{
    uint64_t *list = prp_list.virt;
    uint64_t page = (phys & ~(uint64_t)(NVME_PAGE - 1)) + NVME_PAGE;   /* the second page */
    size_t first = NVME_PAGE - (size_t)(phys % NVME_PAGE), n = 0;

    cmd->prp1 = phys;
    cmd->prp2 = 0;
    if (bytes <= first)
        return 0;
    if (bytes - first <= NVME_PAGE) {
        cmd->prp2 = page;
        return 0;
    }
    for (size_t left = bytes - first; left; left -= left < NVME_PAGE ? left : NVME_PAGE) {
        if (n == PRP_LIST_ENTRIES)
            return -EINVAL;
        list[n++] = page;
        page += NVME_PAGE;
    }
    cmd->prp2 = prp_list.phys;
    return 0;
}

int nvme_io_rw(struct nvme_ctrl *c, bool write, uint64_t lba, uint32_t count, uint64_t phys)
{
    struct nvme_sqe cmd = {.opcode = write ? NVME_CMD_WRITE : NVME_CMD_READ, .nsid = c->nsid};
    size_t bytes = (size_t)count * c->sector_size;

    if (!count || lba >= c->sectors || count > c->sectors - lba ||
        (c->max_bytes && bytes > c->max_bytes) || prps_fill(&cmd, phys, bytes) < 0)
        return -EIO;
    cmd.cdw10 = (uint32_t)lba;
    cmd.cdw11 = (uint32_t)(lba >> 32);
    cmd.cdw12 = count - 1;             /* NLB is 0-based */
    return nvme_queue_run(&c->io, &cmd, NULL, IO_MS);
}

int nvme_io_flush(struct nvme_ctrl *c)
{
    struct nvme_sqe cmd = {.opcode = NVME_CMD_FLUSH, .nsid = c->nsid};

    return nvme_queue_run(&c->io, &cmd, NULL, IO_MS);
}
