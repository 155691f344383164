/* services/ahcid/hba.c: resetting the HBA (AHCI 1.3.1 §10.4.3: GHC.HR clears
 * itself within 1 s, then AHCI mode is entered again) and looking through
 * the implemented ports for a link with an ATA disk (§10.1.2). */
#include <errno.h>

#include "hba.h"
#include "mmio.h"
#include "pollwait.h"

#define RESET_MS 1000
#define LINK_MS 20                     /* how long an empty port gets to show a link */

int ahci_hba_reset(volatile void *abar)
{
    mmio_write32(abar, AHCI_GHC, AHCI_GHC_AE);   /* some HBAs take HR only in AHCI mode */
    mmio_write32(abar, AHCI_GHC, AHCI_GHC_AE | AHCI_GHC_HR);
    if (poll_reg32(abar, AHCI_GHC, AHCI_GHC_HR, 0, RESET_MS) < 0)
        return -EIO;
    mmio_write32(abar, AHCI_GHC, AHCI_GHC_AE);  /* interrupts (IE) stay off: we poll */
    return 0;
}

/* Spin the port's device up (staggered spin-up HBAs wait for it) and wait for its link. */
static bool link_up(volatile void *abar, int port)
{
    size_t cmd = AHCI_PORT(port) + AHCI_PXCMD, ssts = AHCI_PORT(port) + AHCI_PXSSTS;

    mmio_write32(abar, cmd, mmio_read32(abar, cmd) | AHCI_PXCMD_SUD | AHCI_PXCMD_POD);
    return poll_reg32(abar, ssts, 0xf, AHCI_DET_PRESENT, LINK_MS) == 0;
}

int ahci_hba_disk(volatile void *abar, size_t abar_size, struct ahci_port *p)
{
    uint32_t cap = mmio_read32(abar, AHCI_CAP), pi = mmio_read32(abar, AHCI_PI);
    int err = -ENODEV;

    /* PI, not CAP.NP, says which ports exist; only those inside the BAR are reachable. */
    for (int i = 0; i < AHCI_PORTS_MAX && AHCI_PORT(i + 1) <= abar_size; i++) {
        if (!(pi & (1u << i)) || !link_up(abar, i))
            continue;
        if ((err = ahci_port_start(p, abar, i, cap & AHCI_CAP_S64A)) == 0)
            return 0;
        ahci_port_stop(p);
    }
    return err;
}
