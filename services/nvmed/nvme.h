/* services/nvmed/nvme.h: the NVMe 1.4 controller registers, queue entries and
 * commands nvmed uses (section numbers from NVM Express Base 1.4). */
#ifndef ANVIL_SERVICES_NVMED_NVME_H
#define ANVIL_SERVICES_NVMED_NVME_H

#include <stdint.h>

#define NVME_CLASS 0x010802u           /* mass storage, NVM, NVM Express */
#define NVME_BAR 0                     /* MLBAR/MUBAR (§2.1.10) */
#define NVME_PAGE 4096u                /* CC.MPS = 0: the memory page size */

/* Controller registers (§3.1). */
#define NVME_CAP 0x00
#define NVME_CAP_MQES(c) ((uint32_t)((c) & 0xffff) + 1)        /* queue entries at most */
#define NVME_CAP_TO_MS(c) ((int)(((c) >> 24) & 0xff) * 500)     /* ready within */
#define NVME_CAP_DSTRD(c) ((unsigned)((c) >> 32) & 0xf)         /* doorbell stride */
#define NVME_CAP_CSS_NVM(c) (((c) >> 37) & 1)
#define NVME_CAP_MPSMIN(c) ((unsigned)((c) >> 48) & 0xf)
#define NVME_INTMS 0x0c
#define NVME_CC 0x14
#define NVME_CC_EN (1u << 0)
#define NVME_CC_IOSQES (6u << 16)      /* 64-byte submission entries */
#define NVME_CC_IOCQES (4u << 20)      /* 16-byte completion entries */
#define NVME_CSTS 0x1c
#define NVME_CSTS_RDY (1u << 0)
#define NVME_CSTS_CFS (1u << 1)        /* fatal controller status */
#define NVME_AQA 0x24
#define NVME_ASQ 0x28
#define NVME_ACQ 0x30
#define NVME_DOORBELLS 0x1000

/* A submission queue entry (§4.2). */
struct nvme_sqe {
    uint8_t opcode;
    uint8_t flags;
    uint16_t cid;
    uint32_t nsid;
    uint64_t reserved;
    uint64_t mptr;
    uint64_t prp1, prp2;
    uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};
_Static_assert(sizeof(struct nvme_sqe) == 64, "NVMe: a submission entry is 64 bytes");

/* A completion queue entry (§4.6). */
struct nvme_cqe {
    uint32_t result;
    uint32_t reserved;
    uint16_t sq_head, sq_id;
    uint16_t cid;
    uint16_t status;           /* phase tag in bit 0, status field above */
};
_Static_assert(sizeof(struct nvme_cqe) == 16, "NVMe: a completion entry is 16 bytes");
#define NVME_CQE_PHASE 1u

/* Admin commands (§5). */
#define NVME_ADMIN_CREATE_SQ 0x01
#define NVME_ADMIN_CREATE_CQ 0x05
#define NVME_ADMIN_IDENTIFY 0x06
#define NVME_ADMIN_SET_FEATURES 0x09
#define NVME_FEAT_QUEUES 0x07
#define NVME_ID_NAMESPACE 0x00         /* CNS values (§5.15.1) */
#define NVME_ID_CONTROLLER 0x01
#define NVME_ID_ACTIVE_NS 0x02
#define NVME_QUEUE_PC 1u               /* physically contiguous */
#define NVME_QUEUE_IEN 2u              /* Create I/O CQ: interrupts enabled (§5.3, CDW11) */

/* NVM commands (NVM Command Set 1.4 §6). */
#define NVME_CMD_FLUSH 0x00
#define NVME_CMD_WRITE 0x01
#define NVME_CMD_READ 0x02

#endif
