/* services/ahcid/port.c: starting, stopping and running commands on one
 * AHCI port (AHCI 1.3.1 §10.1.2 and §10.3: the engines are stopped before
 * their memory is set, FIS receive runs before the command engine; §6.2.2:
 * after an error the engine is restarted to clear it). */
#include <errno.h>
#include <string.h>

#include "mmio.h"
#include "pollwait.h"
#include "port.h"

#define PORT_MEM 4096                  /* one page: list, FISes, table */
#define OFF_LIST 0
#define OFF_RFIS 1024
#define OFF_TABLE 2048
#define PRDS_MAX ((PORT_MEM - OFF_TABLE - AHCI_CT_PRDT) / sizeof(struct ahci_prd))
#define ENGINE_MS 500                  /* CR and FR stop within 500 ms (§10.1.2) */
#define READY_MS 1000
#define COMMAND_MS 10000
#define ADDR32_LIMIT (1ull << 32)

static uint32_t reg(struct ahci_port *p, size_t off)
{
    return mmio_read32(p->regs, off);
}

static void reg_set(struct ahci_port *p, size_t off, uint32_t v)
{
    mmio_write32(p->regs, off, v);
}

void ahci_port_stop(struct ahci_port *p)
{
    reg_set(p, AHCI_PXCMD, reg(p, AHCI_PXCMD) & ~AHCI_PXCMD_ST);
    poll_reg32(p->regs, AHCI_PXCMD, AHCI_PXCMD_CR, 0, ENGINE_MS);
    reg_set(p, AHCI_PXCMD, reg(p, AHCI_PXCMD) & ~AHCI_PXCMD_FRE);
    poll_reg32(p->regs, AHCI_PXCMD, AHCI_PXCMD_FR, 0, ENGINE_MS);
}

/* Clear old errors, wait for the device to be idle, start the command engine. */
static int engine_start(struct ahci_port *p)
{
    reg_set(p, AHCI_PXSERR, 0xffffffffu);   /* write-1-to-clear */
    reg_set(p, AHCI_PXIS, 0xffffffffu);
    if (poll_reg32(p->regs, AHCI_PXTFD, AHCI_TFD_BSY | AHCI_TFD_DRQ, 0, READY_MS) < 0)
        return -EIO;
    reg_set(p, AHCI_PXCMD, reg(p, AHCI_PXCMD) | AHCI_PXCMD_ST);
    return 0;
}

int ahci_port_start(struct ahci_port *p, volatile void *abar, int index, bool addr64)
{
    int err;

    p->regs = (volatile uint8_t *)abar + AHCI_PORT(index);
    p->hba = abar;
    p->index = index;
    p->irq_fd = -1;
    p->addr64 = addr64;
    ahci_port_stop(p);
    if (reg(p, AHCI_PXCMD) & (AHCI_PXCMD_CR | AHCI_PXCMD_FR))
        return -EIO;   /* an engine that will not stop */
    if (!p->mem.virt && (err = dma_alloc(PORT_MEM, &p->mem)) < 0)
        return err;
    if (!addr64 && p->mem.phys + PORT_MEM > ADDR32_LIMIT)
        return -ENOMEM;
    mmio_write64(p->regs, AHCI_PXCLB, p->mem.phys + OFF_LIST);
    mmio_write64(p->regs, AHCI_PXFB, p->mem.phys + OFF_RFIS);
    reg_set(p, AHCI_PXIE, 0);               /* until ahci_port_irqs */
    reg_set(p, AHCI_PXCMD, reg(p, AHCI_PXCMD) | AHCI_PXCMD_FRE);
    if ((err = engine_start(p)) < 0)
        return err;
    return reg(p, AHCI_PXSIG) == AHCI_SIG_ATA ? 0 : -ENODEV;
}

void ahci_port_irqs(struct ahci_port *p, int irq_fd)
{
    p->irq_fd = irq_fd;
    reg_set(p, AHCI_PXIE, AHCI_PXIE_USED);
    mmio_write32(p->hba, AHCI_GHC, mmio_read32(p->hba, AHCI_GHC) | AHCI_GHC_IE);
}

/* Clear the port's interrupt status, then its bit in the HBA's (§10.7.2.1: in that order). */
static void status_clear(struct ahci_port *p)
{
    reg_set(p, AHCI_PXIS, 0xffffffffu);
    mmio_write32(p->hba, AHCI_IS, 1u << p->index);
}

/* The PRDs for [phys, phys + bytes) in the command table: their count, or -EINVAL. */
static int prds_fill(struct ahci_port *p, uint64_t phys, size_t bytes)
{
    struct ahci_prd *prd = (void *)((uint8_t *)p->mem.virt + OFF_TABLE + AHCI_CT_PRDT);
    size_t n = 0, chunk;

    if (bytes % 2 || (!p->addr64 && phys + bytes > ADDR32_LIMIT))
        return -EINVAL;
    for (; bytes; bytes -= chunk, phys += chunk, n++) {
        if (n == PRDS_MAX)
            return -EINVAL;
        chunk = bytes < AHCI_PRD_MAX_BYTES ? bytes : AHCI_PRD_MAX_BYTES;
        prd[n] = (struct ahci_prd){.dba = phys, .dbc = (uint32_t)(chunk - 1)};
    }
    return (int)n;
}

/* Slot 0 is no longer issued, or the device reported an error. */
static bool slot0_done(void *arg)
{
    struct ahci_port *p = arg;

    return !(reg(p, AHCI_PXCI) & 1) || (reg(p, AHCI_PXIS) & AHCI_PXIS_TFES);
}

/* After an error or a timeout: restart the engine so the next command can run. */
static void recover(struct ahci_port *p)
{
    reg_set(p, AHCI_PXCMD, reg(p, AHCI_PXCMD) & ~AHCI_PXCMD_ST);
    poll_reg32(p->regs, AHCI_PXCMD, AHCI_PXCMD_CR, 0, ENGINE_MS);
    engine_start(p);
}

int ahci_port_run(struct ahci_port *p, const struct ahci_fis_h2d *fis, uint64_t phys,
                  size_t bytes, bool write)
{
    struct ahci_cmd_header *h = (void *)((uint8_t *)p->mem.virt + OFF_LIST);
    uint8_t *table = (uint8_t *)p->mem.virt + OFF_TABLE;
    int prds = prds_fill(p, phys, bytes);

    if (prds < 0)
        return -EIO;
    memcpy(table + AHCI_CT_CFIS, fis, sizeof(*fis));
    h[0] = (struct ahci_cmd_header){
        .flags = (uint16_t)(AHCI_FIS_DWORDS | (write ? AHCI_HDR_WRITE : 0)),
        .prdtl = (uint16_t)prds,
        .ctba = p->mem.phys + OFF_TABLE,
    };
    status_clear(p);
    mmio_barrier();
    reg_set(p, AHCI_PXCI, 1);
    if (poll_irq_until(p->irq_fd, slot0_done, p, COMMAND_MS) < 0 ||
        (reg(p, AHCI_PXIS) & AHCI_PXIS_TFES) ||
        (reg(p, AHCI_PXTFD) & AHCI_TFD_ERR)) {
        recover(p);
        return -EIO;
    }
    return 0;
}
