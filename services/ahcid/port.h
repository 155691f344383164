/* services/ahcid/port.h: one AHCI port with a disk behind it: its command
 * list, received-FIS area and one command table, and running one command at
 * a time in slot 0. */
#ifndef ANVIL_SERVICES_AHCID_PORT_H
#define ANVIL_SERVICES_AHCID_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ahci.h"
#include "dma.h"

struct ahci_port {
    volatile void *regs;       /* this port's registers inside the ABAR */
    volatile void *hba;        /* the ABAR */
    int index;
    int irq_fd;                /* irq:msi, or -1: poll */
    bool addr64;               /* the HBA takes addresses above 4 GiB */
    struct dma_buf mem;        /* command list, received FISes, command table */
};

/* Give port index of the HBA at abar its memory and start it (FIS receive,
 * then the command engine): 0, -ENODEV when no ATA disk answers there, or -errno. */
int ahci_port_start(struct ahci_port *p, volatile void *abar, int index, bool addr64);
/* Wake on irq_fd (an irq:msi fd) instead of polling: turns on the port's
 * and the HBA's interrupts. */
void ahci_port_irqs(struct ahci_port *p, int irq_fd);
/* Stop the command engine and FIS receive (before a reset or a retry). */
void ahci_port_stop(struct ahci_port *p);
/* Run fis in slot 0 moving bytes at phys (device to memory unless write):
 * 0, or -EIO (device error or 10 s timeout; the port is restarted). */
int ahci_port_run(struct ahci_port *p, const struct ahci_fis_h2d *fis, uint64_t phys,
                  size_t bytes, bool write);

#endif
