/* services/virtio-blkd/main.c: a virtio block device (legacy virtio-PCI over
 * its I/O BAR) served as disk.NAME: (default disk.virtio). It finds the
 * device in pcid's pci: list, narrows its own ioport grant to that BAR,
 * resets and sets the device up with one queue, and serves the disk through
 * services/lib's disk scheme. Requests are synchronous; a completion wakes
 * us by MSI-X or INTx, or is polled for without either (docs/drivers.md). */
#define _GNU_SOURCE
#include <anvil/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "disk.h"
#include "dma.h"
#include "pcidev.h"
#include "portio.h"
#include "svc.h"
#include "virtio.h"
#include "virtq.h"

#define BOUNCE_BYTES (128u * 1024)     /* the largest transfer: 256 sectors */
#define REQ_STATUS 16                  /* the status byte, after the 16-byte header */
#define REQ_TIMEOUT_MS 10000
#define QUEUE_MAX 1024                 /* entries we are ready to lay out */

/* The request header (§5.2.6). */
struct blk_req {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

static struct virtq queue;
static struct dma_buf req;             /* header at 0, status byte at REQ_STATUS */
static struct dma_buf bounce;
static uint32_t features;

static int request(uint32_t type, uint64_t sector, uint64_t data_phys, uint32_t len)
{
    struct blk_req *h = req.virt;
    volatile uint8_t *status = (uint8_t *)req.virt + REQ_STATUS;
    struct virtq_seg segs[VIRTQ_SEGS_MAX];
    int n = 0;

    h->type = type;
    h->reserved = 0;
    h->sector = sector;
    *status = 0xff;
    segs[n++] = (struct virtq_seg){req.phys, sizeof(*h), false};
    if (len)
        segs[n++] = (struct virtq_seg){data_phys, len, type == VIRTIO_BLK_T_IN};
    segs[n++] = (struct virtq_seg){req.phys + REQ_STATUS, 1, true};
    if (virtq_run(&queue, segs, n, REQ_TIMEOUT_MS) < 0)
        return -EIO;
    return *status == VIRTIO_BLK_S_OK ? 0 : -EIO;
}

static int blk_transfer(struct disk_dev *d, bool write, uint64_t lba, size_t n, size_t boff)
{
    if (lba >= d->sectors || n > d->sectors - lba || boff + n * d->sector_size > bounce.size)
        return -EIO;
    return request(write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, lba, bounce.phys + boff,
                   (uint32_t)(n * d->sector_size));
}

static int blk_flush(struct disk_dev *d)
{
    (void)d;
    if (!(features & VIRTIO_BLK_F_FLUSH))
        return 0;   /* no volatile cache offered: writes are already durable */
    return request(VIRTIO_BLK_T_FLUSH, 0, 0, 0);
}

/* Route queue 0's interrupts to MSI-X entry 0 (config changes to none):
 * the vector fd, or -1 when the device refuses (then we poll). */
static int queue_vector(uint16_t port, int irq)
{
    if (irq < 0)
        return -1;
    port_out16((uint16_t)(port + VIRTIO_PCI_CONFIG_VECTOR), VIRTIO_MSI_NO_VECTOR);
    port_out16((uint16_t)(port + VIRTIO_PCI_QUEUE_VECTOR), 0);
    if (port_in16((uint16_t)(port + VIRTIO_PCI_QUEUE_VECTOR)) == 0)
        return irq;
    svc_log("virtio-blkd: the device takes no MSI-X vector for its queue: polling");
    return -1;
}

/* How completions reach us: an MSI-X vector, the INTx line (line), or
 * nothing (fd -1): we poll. */
struct irq_way {
    int fd;
    bool line;
};

/* MSI-X first, the legacy line where there is none (QEMU's vectors=0). */
static struct irq_way irq_start(const struct pcidev *d)
{
    struct irq_way w = {pcidev_msix_vector(d, "virtio-blkd"), false};
    char path[16];

    if (w.fd >= 0 || d->irq < 0 || d->irq >= ANVIL_IRQ_MSI)
        return w;
    snprintf(path, sizeof(path), "irq:%d", d->irq);
    if ((w.fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        svc_log("virtio-blkd: no INTx on line %d (%s): polling", d->irq, strerror(errno));
    else
        svc_log("virtio-blkd: INTx on line %d", d->irq);
    w.line = w.fd >= 0;
    return w;
}

/* Reset, negotiate, set up queue 0 (its completions as w says) and go
 * live: the capacity in sectors, or -errno. */
static int64_t device_start(uint16_t port, struct irq_way w)
{
    bool msix = w.fd >= 0 && !w.line;
    /* MSI-X on in the function moves the device config (§4.1.4.8) */
    uint16_t config = msix ? VIRTIO_PCI_CONFIG_MSIX : VIRTIO_PCI_CONFIG;
    uint16_t qsize;
    int fd, err;

    port_out8((uint16_t)(port + VIRTIO_PCI_STATUS), 0);
    port_out8((uint16_t)(port + VIRTIO_PCI_STATUS), VIRTIO_STATUS_ACK);
    port_out8((uint16_t)(port + VIRTIO_PCI_STATUS), VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
    features = port_in32((uint16_t)(port + VIRTIO_PCI_HOST_FEATURES)) & VIRTIO_BLK_F_FLUSH;
    port_out32((uint16_t)(port + VIRTIO_PCI_GUEST_FEATURES), features);
    port_out16((uint16_t)(port + VIRTIO_PCI_QUEUE_SEL), 0);
    qsize = port_in16((uint16_t)(port + VIRTIO_PCI_QUEUE_NUM));
    if (qsize < VIRTQ_SEGS_MAX || qsize > QUEUE_MAX)
        return -ENODEV;
    /* the vector goes to the selected queue, after the reset cleared it */
    fd = w.line ? w.fd : queue_vector(port, msix ? w.fd : -1);
    if ((err = virtq_setup(&queue, port, 0, qsize, fd, w.line)) < 0)
        return err;
    port_out8((uint16_t)(port + VIRTIO_PCI_STATUS),
              VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
    return (int64_t)(port_in32((uint16_t)(port + config + VIRTIO_BLK_CAPACITY)) |
                     (uint64_t)port_in32((uint16_t)(port + config + VIRTIO_BLK_CAPACITY + 4)) << 32);
}

/* Find the device, take its ports (and the MSI-X table's BAR) and buffers:
 * its port base, or -errno. */
static int device_find(struct pcidev *d)
{
    int port, err;

    if ((port = virtio_pci_find(VIRTIO_DEV_BLOCK_LEGACY, d)) < 0)
        return port;
    if ((err = dma_alloc(VIRTIO_BLK_SECTOR, &req)) < 0 ||
        (err = dma_alloc(BOUNCE_BYTES, &bounce)) < 0)
        return err;
    return port;
}

int main(int argc, char **argv)
{
    const char *scheme = argc > 1 ? argv[1] : "disk.virtio";
    struct disk_dev disk = {
        .sector_size = VIRTIO_BLK_SECTOR, .max_sectors = BOUNCE_BYTES / VIRTIO_BLK_SECTOR,
        .transfer = blk_transfer, .flush = blk_flush,
    };
    struct pcidev d;
    int64_t sectors;
    int port;

    if ((port = device_find(&d)) < 0) {
        svc_log("virtio-blkd: no usable virtio block device: %s", strerror(-port));
        return port == -ENODEV ? 0 : 1;   /* no device: nothing to restart for */
    }
    if ((sectors = device_start((uint16_t)port, irq_start(&d))) <= 0) {
        svc_log("virtio-blkd: %02x:%02x.%x does not start: %s", d.bus, d.dev, d.fn,
                strerror(sectors ? (int)-sectors : EIO));
        return 1;
    }
    disk.sectors = (uint64_t)sectors;
    disk.bounce = bounce.virt;
    svc_log("virtio-blkd: %02x:%02x.%x at ports 0x%x, %s, %s", d.bus, d.dev, d.fn, port,
            features & VIRTIO_BLK_F_FLUSH ? "with flush" : "write-through",
            queue.irq_fd < 0 ? "polled" : queue.line ? "INTx" : "MSI-X");
    return disk_serve(scheme, &disk) < 0 ? 1 : 0;
}
