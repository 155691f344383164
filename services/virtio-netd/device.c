/* services/virtio-netd/device.c: the card's two queues (Virtio 1.1 §5.1.2:
 * receiveq1 is queue 0, transmitq1 queue 1). Every descriptor owns one
 * 2 KiB DMA buffer: a received frame lands in one whole (we offer no
 * mergeable buffers, §5.1.6.3.1), a frame to send is copied into one behind
 * a zeroed header (no offloads: §5.1.6.2). */
#include <errno.h>
#include <string.h>

#include "device.h"
#include "portio.h"
#include "virtio_pci.h"

#define VIRTIO_NET_F_MAC (1u << 5)      /* §5.1.3: the MAC is in the config space */
#define VIRTIO_NET_CONFIG_MAC 0         /* §5.1.4: u8 mac[6] */
#define NET_HDR_BYTES 10                /* struct virtio_net_hdr without num_buffers (legacy) */
#define NETDEV_BUF 2048                 /* header + the largest frame, rounded up */
#define QUEUE_RX 0
#define QUEUE_TX 1

_Static_assert(NET_HDR_BYTES + ANVIL_NET_FRAME_MAX <= NETDEV_BUF, "a frame fits a buffer");

/* The scheme's callbacks get the card, the first member of its netdev. */
static struct netdev *dev_of(struct net_card *c)
{
    return (struct netdev *)c;
}

static uint16_t reg(const struct netdev *n, uint16_t off)
{
    return (uint16_t)(n->port + off);
}

/* Queue index: its size, capped at what we keep, with the vector routed
 * (before setup, while it is selected): the buffers it gets, or -errno. */
static int queue_start(struct netdev *n, struct virtq *q, uint16_t index, uint16_t *bufs)
{
    uint16_t size;
    int err;

    port_out16(reg(n, VIRTIO_PCI_QUEUE_SEL), index);
    size = port_in16(reg(n, VIRTIO_PCI_QUEUE_NUM));
    if (size < 2 || (size & (size - 1)))
        return -ENODEV;
    if (n->card.irq_fd >= 0) {
        port_out16(reg(n, VIRTIO_PCI_QUEUE_VECTOR), 0);
        if (port_in16(reg(n, VIRTIO_PCI_QUEUE_VECTOR)) != 0)
            return -ENODEV;
    }
    if ((err = virtq_setup(q, n->port, index, size, n->card.irq_fd, false)) < 0)
        return err;
    *bufs = size < NETDEV_BUFS_MAX ? size : NETDEV_BUFS_MAX;
    return 0;
}

static void rx_post(struct netdev *n, uint16_t id)
{
    n->rx.desc[id] = (struct virtq_desc){
        .addr = n->rxbufs.phys + (uint64_t)id * NETDEV_BUF, .len = NETDEV_BUF,
        .flags = VIRTQ_DESC_F_WRITE,
    };
    virtq_post(&n->rx, id);
}

/* The next received frame into the held slot: false when none waits. A
 * buffer the device says it filled wrongly is dropped and put back. */
static bool rx_take(struct netdev *n)
{
    uint16_t id;
    uint32_t len;

    while (!n->held && virtq_used_next(&n->rx, &id, &len)) {
        if (id < n->nrx && len >= NET_HDR_BYTES + ANVIL_NET_FRAME_MIN &&
            len <= NET_HDR_BYTES + ANVIL_NET_FRAME_MAX) {
            n->held = true;
            n->held_id = id;
            n->held_len = len - NET_HDR_BYTES;
        } else if (id < n->nrx) {
            n->rx_dropped++;
            rx_post(n, id);
        }
    }
    return n->held;
}

static bool card_rx_ready(struct net_card *c)
{
    return rx_take(dev_of(c));
}

static long card_read(struct net_card *c, uint8_t *buf, size_t len)
{
    struct netdev *n = dev_of(c);
    size_t done = 0;
    bool posted = false;

    while (rx_take(n) && len - done >= ANVIL_NET_RECORD_HEAD + n->held_len) {
        const uint8_t *frame = (uint8_t *)n->rxbufs.virt + (size_t)n->held_id * NETDEV_BUF;

        anvil_net_record_put(buf + done, (uint16_t)n->held_len);
        memcpy(buf + done + ANVIL_NET_RECORD_HEAD, frame + NET_HDR_BYTES, n->held_len);
        done += ANVIL_NET_RECORD_HEAD + n->held_len;
        n->held = false;
        n->rx_frames++;
        rx_post(n, n->held_id);
        posted = true;
    }
    if (posted)
        virtq_kick(&n->rx);
    return done == 0 && n->held ? -EINVAL : (long)done;
}

static bool tx_reclaim(struct netdev *n)
{
    uint16_t id;
    uint32_t len;

    while (virtq_used_next(&n->tx, &id, &len))
        if (id < n->ntx && n->ntx_free < n->ntx)
            n->tx_free[n->ntx_free++] = id;
    return n->ntx_free > 0;
}

static bool card_tx_room(struct net_card *c)
{
    return tx_reclaim(dev_of(c));
}

static long card_write(struct net_card *c, const uint8_t *buf, size_t len)
{
    struct netdev *n = dev_of(c);
    size_t done = 0;
    uint16_t flen;

    while ((flen = netscheme_record(buf, len, done)) != 0 && tx_reclaim(n)) {
        uint16_t id;
        uint8_t *slot;

        id = n->tx_free[--n->ntx_free];
        slot = (uint8_t *)n->txbufs.virt + (size_t)id * NETDEV_BUF;
        memset(slot, 0, NET_HDR_BYTES);
        memcpy(slot + NET_HDR_BYTES, buf + done + ANVIL_NET_RECORD_HEAD, flen);
        n->tx.desc[id] = (struct virtq_desc){
            .addr = n->txbufs.phys + (uint64_t)id * NETDEV_BUF, .len = NET_HDR_BYTES + flen,
        };
        virtq_post(&n->tx, id);
        done += ANVIL_NET_RECORD_HEAD + flen;
        n->tx_frames++;
    }
    if (done)
        virtq_kick(&n->tx);
    if (done == 0)
        return len >= ANVIL_NET_RECORD_HEAD && n->ntx_free == 0 ? -EAGAIN : -EINVAL;
    return (long)done;
}

int netdev_start(struct netdev *n, uint16_t port, int irq_fd)
{
    uint16_t config = irq_fd >= 0 ? VIRTIO_PCI_CONFIG_MSIX : VIRTIO_PCI_CONFIG;
    uint32_t features;
    int err;

    n->port = port;
    n->card = (struct net_card){
        .irq_fd = irq_fd, .rx_ready = card_rx_ready, .read = card_read, .write = card_write,
        .tx_room = card_tx_room,
    };
    port_out8(reg(n, VIRTIO_PCI_STATUS), 0);
    port_out8(reg(n, VIRTIO_PCI_STATUS), VIRTIO_STATUS_ACK);
    port_out8(reg(n, VIRTIO_PCI_STATUS), VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
    features = port_in32(reg(n, VIRTIO_PCI_HOST_FEATURES)) & VIRTIO_NET_F_MAC;
    if (!features)
        return -ENODEV;     /* a card without an address of its own */
    port_out32(reg(n, VIRTIO_PCI_GUEST_FEATURES), features);
    if (irq_fd >= 0)
        port_out16(reg(n, VIRTIO_PCI_CONFIG_VECTOR), VIRTIO_MSI_NO_VECTOR);
    if ((err = queue_start(n, &n->rx, QUEUE_RX, &n->nrx)) < 0 ||
        (err = queue_start(n, &n->tx, QUEUE_TX, &n->ntx)) < 0 ||
        (err = dma_alloc((size_t)n->nrx * NETDEV_BUF, &n->rxbufs)) < 0 ||
        (err = dma_alloc((size_t)n->ntx * NETDEV_BUF, &n->txbufs)) < 0)
        return err;
    n->tx.avail->flags = 1;   /* VIRTQ_AVAIL_F_NO_INTERRUPT: sent buffers are taken back lazily */
    for (uint16_t i = 0; i < ANVIL_NET_MAC_LEN; i++)
        n->card.mac[i] = port_in8(reg(n, (uint16_t)(config + VIRTIO_NET_CONFIG_MAC + i)));
    for (uint16_t i = 0; i < n->nrx; i++)
        rx_post(n, i);
    n->ntx_free = 0;
    for (uint16_t i = 0; i < n->ntx; i++)
        n->tx_free[n->ntx_free++] = i;
    port_out8(reg(n, VIRTIO_PCI_STATUS),
              VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
    virtq_kick(&n->rx);
    return 0;
}
