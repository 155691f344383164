/* services/ahcid/ata.h: the ATA commands ahcid sends a disk through its
 * port: IDENTIFY DEVICE, READ/WRITE DMA EXT and FLUSH CACHE EXT. */
#ifndef ANVIL_SERVICES_AHCID_ATA_H
#define ANVIL_SERVICES_AHCID_ATA_H

#include <stdbool.h>
#include <stdint.h>

#include "dma.h"
#include "port.h"

struct ata_disk {
    uint64_t sectors;
    uint32_t sector_size;
    bool flush_ext;            /* FLUSH CACHE EXT is supported */
};

/* IDENTIFY into buf (at least 512 bytes) and check what it says: 0, -ENODEV
 * for a disk we cannot drive (no 48-bit LBA, odd sector size), or -EIO. */
int ata_identify(struct ahci_port *p, const struct dma_buf *buf, struct ata_disk *d);
/* Move count sectors at lba to or from phys: 0 or -EIO. */
int ata_rw(struct ahci_port *p, const struct ata_disk *d, bool write, uint64_t lba,
           uint32_t count, uint64_t phys);
/* Make the drive's write cache durable: 0 or -EIO. */
int ata_flush(struct ahci_port *p, const struct ata_disk *d);

#endif
