/* services/lib/virtio_pci.h: the legacy virtio-PCI registers in I/O BAR 0
 * (Virtio 1.1 §4.1.4.8), shared by the virtio drivers. */
#ifndef ANVIL_SERVICES_LIB_VIRTIO_PCI_H
#define ANVIL_SERVICES_LIB_VIRTIO_PCI_H

#define VIRTIO_PCI_HOST_FEATURES 0x00
#define VIRTIO_PCI_GUEST_FEATURES 0x04
#define VIRTIO_PCI_QUEUE_PFN 0x08
#define VIRTIO_PCI_QUEUE_NUM 0x0c
#define VIRTIO_PCI_QUEUE_SEL 0x0e
#define VIRTIO_PCI_QUEUE_NOTIFY 0x10
#define VIRTIO_PCI_STATUS 0x12
#define VIRTIO_PCI_ISR 0x13
#define VIRTIO_PCI_CONFIG 0x14          /* device config, without MSI-X */
/* With MSI-X enabled two vector registers follow and the device config
 * moves 4 bytes on (§4.1.4.8 legacy interface). */
#define VIRTIO_PCI_CONFIG_VECTOR 0x14
#define VIRTIO_PCI_QUEUE_VECTOR 0x16
#define VIRTIO_PCI_CONFIG_MSIX 0x18
#define VIRTIO_MSI_NO_VECTOR 0xffff

#define VIRTIO_STATUS_ACK 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_BAR_PORTS 0              /* the legacy registers */
#define VIRTIO_BAR_MSIX 1               /* QEMU's MSI-X table */

#include <stdint.h>

struct pcidev;
/* The virtio device with this device id ($PCI_DEVICE's when set) into d,
 * our grants narrowed to its ports and MSI-X table, decoding and bus
 * mastering on: its port base, or -errno (-ENODEV: none). */
int virtio_pci_find(uint32_t device, struct pcidev *d);

#endif
