/* services/nvmed/main.c: the first namespace of an NVMe controller served as
 * disk.NAME: (default disk.nvme). It finds the controller in pcid's pci:
 * list, narrows its memory grant to BAR0, resets and enables it, makes one
 * I/O queue pair and serves the namespace through services/lib's disk
 * scheme. One command at a time; its completion wakes us by MSI-X, or is
 * polled for when there is no vector (docs/drivers.md).
 * Exits 0 when there is nothing to drive. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctrl.h"
#include "disk.h"
#include "dma.h"
#include "io.h"
#include "pcidev.h"
#include "svc.h"

#define BOUNCE_BYTES (128u * 1024)     /* the largest transfer, unless MDTS says less */

static struct nvme_ctrl ctrl;
static struct dma_buf bounce;

static int nvme_transfer(struct disk_dev *d, bool write, uint64_t lba, size_t n, size_t boff)
{
    if (n > d->max_sectors || boff + n * d->sector_size > bounce.size)
        return -EIO;
    return nvme_io_rw(&ctrl, write, lba, (uint32_t)n, bounce.phys + boff) < 0 ? -EIO : 0;
}

static int nvme_flush(struct disk_dev *d)
{
    (void)d;
    return nvme_io_flush(&ctrl) < 0 ? -EIO : 0;
}

/* Find the controller, keep only its BAR0, map it and start it: 0 or -errno. */
static int controller_take(struct pcidev *d)
{
    volatile void *regs;
    int err;

    if ((err = pcidev_take_mem(NVME_CLASS, NVME_BAR, d, &regs)) < 0)
        return err;
    if ((err = dma_alloc(BOUNCE_BYTES, &bounce)) < 0 || (err = nvme_io_init()) < 0)
        return err;
    return nvme_ctrl_start(&ctrl, regs, (size_t)d->bar[NVME_BAR].size);
}

/* How many blocks one command moves: the bounce buffer, cut to MDTS. */
static size_t max_sectors(void)
{
    size_t bytes = BOUNCE_BYTES;

    if (ctrl.max_bytes && ctrl.max_bytes < bytes)
        bytes = ctrl.max_bytes;
    return bytes / ctrl.sector_size;
}

int main(int argc, char **argv)
{
    const char *scheme = argc > 1 ? argv[1] : "disk.nvme";
    struct disk_dev disk = {.transfer = nvme_transfer, .flush = nvme_flush};
    struct pcidev d;
    int err;

    if ((err = controller_take(&d)) < 0) {
        svc_log("nvmed: no usable NVMe controller: %s", strerror(-err));
        return err == -ENODEV ? 0 : 1;
    }
    if ((err = nvme_ctrl_setup(&ctrl, pcidev_msix_vector(&d, "nvmed"))) < 0) {
        svc_log("nvmed: %02x:%02x.%x: no namespace to serve: %s", d.bus, d.dev, d.fn,
                strerror(-err));
        return err == -ENODEV ? 0 : 1;
    }
    disk.sector_size = ctrl.sector_size;
    disk.sectors = ctrl.sectors;
    disk.max_sectors = max_sectors();
    disk.bounce = bounce.virt;
    svc_log("nvmed: %02x:%02x.%x namespace %u, %zu KiB a command", d.bus, d.dev, d.fn,
            (unsigned)ctrl.nsid, disk.max_sectors * ctrl.sector_size / 1024);
    return disk_serve(scheme, &disk) < 0 ? 1 : 0;
}
