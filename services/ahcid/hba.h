/* services/ahcid/hba.h: the AHCI host bus adapter as a whole: reset into
 * AHCI mode and finding the port with a disk. */
#ifndef ANVIL_SERVICES_AHCID_HBA_H
#define ANVIL_SERVICES_AHCID_HBA_H

#include <stddef.h>

#include "port.h"

/* Reset the HBA and switch it to AHCI mode: 0 or -EIO. */
int ahci_hba_reset(volatile void *abar);
/* Start the first implemented port (inside the abar_size bytes mapped) with
 * an ATA disk into p: 0, -ENODEV, or -errno. */
int ahci_hba_disk(volatile void *abar, size_t abar_size, struct ahci_port *p);

#endif
