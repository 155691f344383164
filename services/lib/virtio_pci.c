/* services/lib/virtio_pci.c: what every legacy virtio driver does first:
 * find its device, keep only its ports (and the MSI-X table's BAR). */
#include <errno.h>

#include "pcidev.h"
#include "virtio_pci.h"

int virtio_pci_find(uint32_t device, struct pcidev *d)
{
    const int bars[] = {VIRTIO_BAR_PORTS, VIRTIO_BAR_MSIX};
    int err;

    if ((err = pcidev_find(PCIDEV_ANY, VIRTIO_VENDOR, device, d)) < 0)
        return err;
    if (d->bar[VIRTIO_BAR_PORTS].kind != PCIDEV_BAR_IO)
        return -ENODEV;
    if ((err = pcidev_claim(d, bars, d->bar[VIRTIO_BAR_MSIX].kind == PCIDEV_BAR_MEM ? 2 : 1)) < 0 ||
        (err = pcidev_enable(d)) < 0)
        return err;
    return (int)d->bar[VIRTIO_BAR_PORTS].base;
}
