/* services/virtio-blkd/virtio.h: the block device's numbers (Virtio 1.1
 * §5.2); the legacy registers are services/lib/virtio_pci.h. */
#ifndef ANVIL_VIRTIO_BLKD_VIRTIO_H
#define ANVIL_VIRTIO_BLKD_VIRTIO_H

#include "virtio_pci.h"

#define VIRTIO_DEV_BLOCK_LEGACY 0x1001  /* transitional block device (§4.1.2.1) */

#define VIRTIO_BLK_F_FLUSH (1u << 9)
#define VIRTIO_BLK_CAPACITY 0           /* config: u64, in 512-byte sectors */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_SECTOR 512

#endif
