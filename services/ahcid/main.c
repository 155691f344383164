/* services/ahcid/main.c: the first disk on an AHCI SATA controller (q35's
 * ICH9) served as disk.NAME: (default disk.ahci). It finds the controller in
 * pcid's pci: list, narrows its memory grant to the ABAR (BAR5), resets the
 * HBA, starts the first port with an ATA disk, identifies it and serves it
 * through services/lib's disk scheme. One command at a time; it sleeps on
 * the controller's MSI when it has one, else polls (docs/drivers.md). Exits
 * 0 when there is nothing to drive. */
#include <anvil/syscall.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ata.h"
#include "disk.h"
#include "dma.h"
#include "hba.h"
#include "pcidev.h"
#include "svc.h"

#define BOUNCE_BYTES (128u * 1024)     /* the largest transfer */

static struct ahci_port port;
static struct ata_disk ata;
static struct dma_buf bounce;

static int ahci_transfer(struct disk_dev *d, bool write, uint64_t lba, size_t n, size_t boff)
{
    if (n > d->max_sectors || boff + n * d->sector_size > bounce.size)
        return -EIO;
    return ata_rw(&port, &ata, write, lba, (uint32_t)n, bounce.phys + boff) < 0 ? -EIO : 0;
}

static int ahci_flush(struct disk_dev *d)
{
    (void)d;
    return ata_flush(&port, &ata) < 0 ? -EIO : 0;
}

/* Find the controller, keep only its ABAR and map it: 0 or -errno. */
static int controller_take(struct pcidev *d, volatile void **abar)
{
    int err;

    if ((err = pcidev_take_mem(AHCI_CLASS, AHCI_ABAR, d, abar)) < 0)
        return err;
    return dma_alloc(BOUNCE_BYTES, &bounce);
}

/* Completions by MSI when the controller has it (else we poll). */
static void irqs_start(const struct pcidev *d)
{
    int fd = pcidev_msi_enable(d);
    struct anvil_irq_msi msg;

    if (fd < 0 || pread(fd, &msg, sizeof(msg), 0) != sizeof(msg)) {
        svc_log("ahcid: no MSI (%s): polling", strerror(fd < 0 ? -fd : EIO));
        return;
    }
    ahci_port_irqs(&port, fd);
    svc_log("ahcid: MSI on vector 0x%x", (unsigned)msg.vector);
}

/* Reset the HBA, start the disk's port, its interrupts, and identify the disk: 0 or -errno. */
static int disk_start(const struct pcidev *d, volatile void *abar)
{
    int err;

    if ((err = ahci_hba_reset(abar)) < 0 ||
        (err = ahci_hba_disk(abar, (size_t)d->bar[AHCI_ABAR].size, &port)) < 0)
        return err;
    irqs_start(d);
    return ata_identify(&port, &bounce, &ata);
}

int main(int argc, char **argv)
{
    const char *scheme = argc > 1 ? argv[1] : "disk.ahci";
    struct disk_dev disk = {.transfer = ahci_transfer, .flush = ahci_flush};
    volatile void *abar;
    struct pcidev d;
    int err;

    if ((err = controller_take(&d, &abar)) < 0) {
        svc_log("ahcid: no usable AHCI controller: %s", strerror(-err));
        return err == -ENODEV ? 0 : 1;
    }
    if ((err = disk_start(&d, abar)) < 0) {
        svc_log("ahcid: %02x:%02x.%x: no disk: %s", d.bus, d.dev, d.fn, strerror(-err));
        return err == -ENODEV ? 0 : 1;
    }
    disk.sector_size = ata.sector_size;
    disk.sectors = ata.sectors;
    disk.max_sectors = BOUNCE_BYTES / ata.sector_size;
    disk.bounce = bounce.virt;
    svc_log("ahcid: %02x:%02x.%x port %d, %s", d.bus, d.dev, d.fn, port.index,
            ata.flush_ext ? "FLUSH CACHE EXT" : "FLUSH CACHE");
    return disk_serve(scheme, &disk) < 0 ? 1 : 0;
}
