/* services/e1000d/tx.c: the transmit ring (8254x manual §3.3, §14.5) with
 * legacy descriptors. A frame is copied into its descriptor's 2 KiB buffer
 * and sent as one descriptor (EOP), the card adding the FCS (IFCS) and
 * marking it done (RS -> DD). We fill at TDT; sent descriptors are taken
 * back lazily, in order, when room is wanted: no transmit interrupts. */
#include <errno.h>
#include <string.h>

#include "device.h"
#include "mmio.h"
#include "regs.h"

_Static_assert(E1000_RING * sizeof(struct e1000_tx_desc) % 128 == 0, "TDLEN: 128-byte multiple");

static volatile struct e1000_tx_desc *desc(struct e1000 *e, uint16_t i)
{
    return (volatile struct e1000_tx_desc *)e->txring.virt + i;
}

static uint16_t ring_next(uint16_t i)
{
    return (uint16_t)((i + 1) % E1000_RING);
}

int e1000_tx_setup(struct e1000 *e)
{
    int err;

    if ((err = dma_alloc(E1000_RING * sizeof(struct e1000_tx_desc), &e->txring)) < 0 ||
        (err = dma_alloc((size_t)E1000_RING * E1000_BUF, &e->txbufs)) < 0)
        return err;
    e->tx_tail = e->tx_clean = 0;
    mmio_write32(e->regs, E1000_TDBAL, (uint32_t)e->txring.phys);
    mmio_write32(e->regs, E1000_TDBAH, (uint32_t)(e->txring.phys >> 32));
    mmio_write32(e->regs, E1000_TDLEN, E1000_RING * sizeof(struct e1000_tx_desc));
    mmio_write32(e->regs, E1000_TDH, 0);
    mmio_write32(e->regs, E1000_TDT, 0);
    mmio_write32(e->regs, E1000_TIDV, 0);
    return 0;
}

/* Take back what the card has sent; whether a descriptor is free. One stays
 * unused: TDT == TDH means an empty ring, not a full one. */
static bool tx_reclaim(struct e1000 *e)
{
    while (e->tx_clean != e->tx_tail && (desc(e, e->tx_clean)->status & E1000_TXD_STAT_DD))
        e->tx_clean = ring_next(e->tx_clean);
    return ring_next(e->tx_tail) != e->tx_clean;
}

bool e1000_tx_room(struct net_card *c)
{
    return tx_reclaim(e1000_of(c));
}

/* Copy a frame into the descriptor at tx_tail and move past it. */
static void tx_put(struct e1000 *e, const uint8_t *frame, uint16_t flen)
{
    volatile struct e1000_tx_desc *d = desc(e, e->tx_tail);

    memcpy((uint8_t *)e->txbufs.virt + (size_t)e->tx_tail * E1000_BUF, frame, flen);
    d->addr = e->txbufs.phys + (uint64_t)e->tx_tail * E1000_BUF;
    d->length = flen;
    d->cso = 0;
    d->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
    d->status = 0;
    d->css = 0;
    d->special = 0;
    e->tx_tail = ring_next(e->tx_tail);
    e->tx_frames++;
}

long e1000_write(struct net_card *c, const uint8_t *buf, size_t len)
{
    struct e1000 *e = e1000_of(c);
    size_t done = 0;
    uint16_t flen;
    bool room = true;

    while ((flen = netscheme_record(buf, len, done)) != 0 && (room = tx_reclaim(e))) {
        tx_put(e, buf + done + ANVIL_NET_RECORD_HEAD, flen);
        done += ANVIL_NET_RECORD_HEAD + flen;
    }
    if (done) {
        mmio_barrier();   /* the descriptors before the card may read them */
        mmio_write32(e->regs, E1000_TDT, e->tx_tail);
        return (long)done;
    }
    return room ? -EINVAL : -EAGAIN;
}
