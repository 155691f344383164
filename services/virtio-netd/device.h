/* services/virtio-netd/device.h: a legacy virtio network card (Virtio 1.1
 * §5.1) with its receive and transmit queues full of DMA buffers, moving
 * frames as the records of include/anvil/net.h. */
#ifndef ANVIL_VIRTIO_NETD_DEVICE_H
#define ANVIL_VIRTIO_NETD_DEVICE_H

#include <anvil/net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dma.h"
#include "netscheme.h"
#include "virtq.h"

#define NETDEV_BUFS_MAX 256          /* buffers a queue keeps: at most the queue's size */

struct netdev {
    struct net_card card;            /* first: the scheme's callbacks get it; irq_fd is both
                                        queues' MSI-X vector, or -1: we poll */
    uint16_t port;                   /* the legacy I/O BAR */
    struct virtq rx, tx;
    struct dma_buf rxbufs, txbufs;   /* NETDEV_BUF bytes for each descriptor */
    uint16_t nrx, ntx;               /* buffers in each queue */
    uint16_t tx_free[NETDEV_BUFS_MAX];   /* transmit descriptors not in the device */
    uint16_t ntx_free;
    bool held;                       /* a received frame that did not fit the last read */
    uint16_t held_id;
    uint32_t held_len;
    uint64_t rx_frames, tx_frames, rx_dropped;
};

/* Reset the device at port, negotiate only its MAC, fill the receive queue
 * and go live; irq_fd (MSI-X already on, or -1) gets both queues'
 * interrupts. n->card is then ready for netscheme_serve: 0 or -errno. */
int netdev_start(struct netdev *n, uint16_t port, int irq_fd);

#endif
