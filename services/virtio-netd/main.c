/* services/virtio-netd/main.c: a virtio network card (legacy virtio-PCI
 * over its I/O BAR, QEMU's virtio-net-pci) served as net.NAME: (default
 * net.virtio) by the frame scheme library (services/lib/netscheme.c):
 * reads give received Ethernet frames and writes send them, in batches of
 * length-prefixed records (include/anvil/net.h); "mac" reads the card's
 * address. Interrupts come on one MSI-X vector, else the card is polled. */
#include <errno.h>
#include <string.h>

#include "device.h"
#include "pcidev.h"
#include "svc.h"
#include "virtio_pci.h"

#define VIRTIO_DEV_NET_LEGACY 0x1000   /* transitional network card (§4.1.2.1) */

static struct netdev card;

int main(int argc, char **argv)
{
    const char *scheme = argc > 1 ? argv[1] : "net.virtio";
    const uint8_t *m = card.card.mac;
    struct pcidev d;
    int port, err;

    if ((port = virtio_pci_find(VIRTIO_DEV_NET_LEGACY, &d)) < 0) {
        svc_log("virtio-netd: no usable virtio network card: %s", strerror(-port));
        return port == -ENODEV ? 0 : 1;   /* no card: nothing to restart for */
    }
    if ((err = netdev_start(&card, (uint16_t)port, pcidev_msix_vector(&d, "virtio-netd"))) < 0) {
        svc_log("virtio-netd: %02x:%02x.%x does not start: %s", d.bus, d.dev, d.fn, strerror(-err));
        return 1;
    }
    svc_log("virtio-netd: %02x:%02x.%x at ports 0x%x, MAC %02x:%02x:%02x:%02x:%02x:%02x, "
            "%u+%u buffers, %s", d.bus, d.dev, d.fn, port, m[0], m[1], m[2], m[3], m[4], m[5],
            card.nrx, card.ntx, card.card.irq_fd >= 0 ? "MSI-X" : "polled");
    err = netscheme_serve(scheme, &card.card);
    svc_log("virtio-netd: serving %s failed: %s", scheme, strerror(-err));
    return 1;
}
