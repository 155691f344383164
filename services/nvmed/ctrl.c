/* services/nvmed/ctrl.c: bringing an NVMe controller up (NVMe 1.4 §7.6.1):
 * disable and wait for CSTS.RDY to clear, give it the admin queues, enable
 * and wait for RDY; then IDENTIFY (§5.15) and create the I/O queues (§5.3,
 * §5.4). What the controller reports is checked before it sizes anything. */
#include <errno.h>

#include "ctrl.h"
#include "mmio.h"
#include "pollwait.h"

#define ADMIN_ENTRIES 32
#define IO_ENTRIES 64
#define ADMIN_MS 5000
#define ID_MDTS 77                     /* Identify Controller: max transfer, 2^n pages */
#define ID_NS_NSZE 0                   /* Identify Namespace: size in blocks */
#define ID_NS_NLBAF 25                 /* formats - 1 */
#define ID_NS_FLBAS 26                 /* the format in use, bits 0..3 */
#define ID_NS_LBAF 128                 /* formats: 4 bytes each */
#define LBADS_MIN 9                    /* 512-byte blocks */
#define LBADS_MAX 12                   /* 4096-byte blocks: our bounce buffer's unit */

static uint16_t min16(uint32_t a, uint32_t b)
{
    return (uint16_t)(a < b ? a : b);
}

static int disable(struct nvme_ctrl *c)
{
    mmio_write32(c->regs, NVME_CC, mmio_read32(c->regs, NVME_CC) & ~NVME_CC_EN);
    return poll_reg32(c->regs, NVME_CSTS, NVME_CSTS_RDY, 0, c->timeout_ms);
}

int nvme_ctrl_start(struct nvme_ctrl *c, volatile void *regs, size_t regs_size)
{
    unsigned dstrd;
    int err;

    c->regs = regs;
    c->regs_size = regs_size;
    c->cap = mmio_read64(regs, NVME_CAP);
    c->timeout_ms = NVME_CAP_TO_MS(c->cap) ? NVME_CAP_TO_MS(c->cap) : 500;
    dstrd = NVME_CAP_DSTRD(c->cap);
    if (!NVME_CAP_CSS_NVM(c->cap) || NVME_CAP_MPSMIN(c->cap) != 0 ||
        NVME_DOORBELLS + 4u * (4u << dstrd) > regs_size)
        return -ENODEV;   /* no NVM command set, no 4 KiB pages, or doorbells off the BAR */
    if (disable(c) < 0)
        return -EIO;
    if ((err = nvme_queue_init(&c->admin, 0, min16(ADMIN_ENTRIES, NVME_CAP_MQES(c->cap)), regs,
                               dstrd)) < 0)
        return err;
    mmio_write32(regs, NVME_AQA, (uint32_t)(c->admin.size - 1) << 16 | (c->admin.size - 1));
    mmio_write64(regs, NVME_ASQ, c->admin.sq.phys);
    mmio_write64(regs, NVME_ACQ, c->admin.cq.phys);
    mmio_write32(regs, NVME_INTMS, 0xffffffffu);   /* we poll */
    mmio_write32(regs, NVME_CC, NVME_CC_IOSQES | NVME_CC_IOCQES | NVME_CC_EN);
    if (poll_reg32(regs, NVME_CSTS, NVME_CSTS_RDY | NVME_CSTS_CFS, NVME_CSTS_RDY,
                   c->timeout_ms) < 0)
        return -EIO;
    return 0;
}

static int identify(struct nvme_ctrl *c, uint32_t cns, uint32_t nsid)
{
    struct nvme_sqe cmd = {.opcode = NVME_ADMIN_IDENTIFY, .nsid = nsid,
                           .prp1 = c->scratch.phys, .cdw10 = cns};

    return nvme_queue_run(&c->admin, &cmd, NULL, ADMIN_MS);
}

/* The first active namespace, its size and block size: 0 or -ENODEV. */
static int namespace_read(struct nvme_ctrl *c)
{
    const uint8_t *id = c->scratch.virt;
    uint8_t format, lbads;

    if (identify(c, NVME_ID_ACTIVE_NS, 0) < 0 || !(c->nsid = *(const uint32_t *)id))
        return -ENODEV;
    if (identify(c, NVME_ID_NAMESPACE, c->nsid) < 0)
        return -EIO;
    format = id[ID_NS_FLBAS] & 0xf;
    if (format > id[ID_NS_NLBAF])
        return -ENODEV;
    lbads = id[ID_NS_LBAF + 4 * format + 2];
    if (*(const uint16_t *)(id + ID_NS_LBAF + 4 * format) != 0 || lbads < LBADS_MIN ||
        lbads > LBADS_MAX)
        return -ENODEV;   /* metadata per block, or a block size we do not handle */
    c->sector_size = 1u << lbads;
    c->sectors = *(const uint64_t *)(id + ID_NS_NSZE);
    return c->sectors ? 0 : -ENODEV;
}

/* Ask for one I/O queue pair, then create its completion and submission queues. */
static int io_queues_create(struct nvme_ctrl *c, int irq_fd)
{
    uint16_t n = min16(IO_ENTRIES, NVME_CAP_MQES(c->cap));
    struct nvme_sqe feat = {.opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_QUEUES};
    struct nvme_sqe cq = {.opcode = NVME_ADMIN_CREATE_CQ};
    struct nvme_sqe sq = {.opcode = NVME_ADMIN_CREATE_SQ};
    int err;

    if ((err = nvme_queue_init(&c->io, 1, n, c->regs, NVME_CAP_DSTRD(c->cap))) < 0)
        return err;
    cq.prp1 = c->io.cq.phys;
    cq.cdw10 = (uint32_t)(n - 1) << 16 | 1;
    /* interrupts on MSI-X entry 0 (IV 0), or none: we poll */
    cq.cdw11 = NVME_QUEUE_PC | (irq_fd >= 0 ? NVME_QUEUE_IEN : 0);
    sq.prp1 = c->io.sq.phys;
    sq.cdw10 = (uint32_t)(n - 1) << 16 | 1;
    sq.cdw11 = 1u << 16 | NVME_QUEUE_PC;             /* completions to queue 1 */
    if (nvme_queue_run(&c->admin, &feat, NULL, ADMIN_MS) < 0 ||
        nvme_queue_run(&c->admin, &cq, NULL, ADMIN_MS) < 0 ||
        nvme_queue_run(&c->admin, &sq, NULL, ADMIN_MS) < 0)
        return -EIO;
    c->io.irq_fd = irq_fd;
    return 0;
}

int nvme_ctrl_setup(struct nvme_ctrl *c, int irq_fd)
{
    int err;
    uint8_t mdts;

    if ((err = dma_alloc(NVME_PAGE, &c->scratch)) < 0)
        return err;
    if (identify(c, NVME_ID_CONTROLLER, 0) < 0)
        return -EIO;
    mdts = ((const uint8_t *)c->scratch.virt)[ID_MDTS];
    c->max_bytes = mdts && mdts < 20 ? (size_t)NVME_PAGE << mdts : 0;
    if ((err = namespace_read(c)) < 0)
        return err;
    return io_queues_create(c, irq_fd);
}
