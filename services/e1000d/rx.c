/* services/e1000d/rx.c: the receive ring (8254x manual §3.2, §14.4). Every
 * descriptor owns one 2 KiB buffer, which holds any frame without the FCS
 * (RCTL.SECRC), so a frame is one descriptor. The card fills descriptors
 * from RDH up to RDT; we take them in order at rx_next and hand each back
 * by moving RDT onto it. */
#include <errno.h>
#include <string.h>

#include "device.h"
#include "mmio.h"
#include "regs.h"

_Static_assert(ANVIL_NET_FRAME_MAX <= E1000_BUF, "a frame fits a buffer");
_Static_assert(E1000_RING * sizeof(struct e1000_rx_desc) % 128 == 0, "RDLEN: 128-byte multiple");

static volatile struct e1000_rx_desc *desc(struct e1000 *e, uint16_t i)
{
    return (volatile struct e1000_rx_desc *)e->rxring.virt + i;
}

/* Give descriptor i back to the card, empty (RDT moves later, once). */
static void rx_post(struct e1000 *e, uint16_t i)
{
    volatile struct e1000_rx_desc *d = desc(e, i);

    d->addr = e->rxbufs.phys + (uint64_t)i * E1000_BUF;
    d->status = 0;
}

int e1000_rx_setup(struct e1000 *e)
{
    int err;

    if ((err = dma_alloc(E1000_RING * sizeof(struct e1000_rx_desc), &e->rxring)) < 0 ||
        (err = dma_alloc((size_t)E1000_RING * E1000_BUF, &e->rxbufs)) < 0)
        return err;
    for (uint16_t i = 0; i < E1000_RING; i++)
        rx_post(e, i);
    e->rx_next = 0;
    mmio_write32(e->regs, E1000_RDBAL, (uint32_t)e->rxring.phys);
    mmio_write32(e->regs, E1000_RDBAH, (uint32_t)(e->rxring.phys >> 32));
    mmio_write32(e->regs, E1000_RDLEN, E1000_RING * sizeof(struct e1000_rx_desc));
    mmio_write32(e->regs, E1000_RDH, 0);
    /* all but one: RDH == RDT would mean the card has none */
    mmio_write32(e->regs, E1000_RDT, E1000_RING - 1);
    mmio_write32(e->regs, E1000_RDTR, 0);
    mmio_write32(e->regs, E1000_RADV, 0);
    return 0;
}

/* Whether the descriptor at rx_next holds a good frame; damaged ones
 * (errors, a frame over several buffers, a length outside net.h's) are
 * dropped and given back on the way. */
static bool rx_take(struct e1000 *e)
{
    volatile struct e1000_rx_desc *d;

    while ((d = desc(e, e->rx_next))->status & E1000_RXD_STAT_DD) {
        mmio_barrier();   /* length and buffer read after DD (x86 keeps load order) */
        if ((d->status & E1000_RXD_STAT_EOP) && !(d->errors & E1000_RXD_ERR_FRAME) &&
            d->length >= ANVIL_NET_FRAME_MIN && d->length <= ANVIL_NET_FRAME_MAX)
            return true;
        e->rx_dropped++;
        rx_post(e, e->rx_next);
        mmio_barrier();
        mmio_write32(e->regs, E1000_RDT, e->rx_next);
        e->rx_next = (uint16_t)((e->rx_next + 1) % E1000_RING);
    }
    return false;
}

bool e1000_rx_ready(struct net_card *c)
{
    return rx_take(e1000_of(c));
}

long e1000_read(struct net_card *c, uint8_t *buf, size_t len)
{
    struct e1000 *e = e1000_of(c);
    size_t done = 0;
    int last = -1;

    while (rx_take(e) && len - done >= ANVIL_NET_RECORD_HEAD + desc(e, e->rx_next)->length) {
        uint16_t flen = desc(e, e->rx_next)->length;
        const uint8_t *frame = (uint8_t *)e->rxbufs.virt + (size_t)e->rx_next * E1000_BUF;

        anvil_net_record_put(buf + done, flen);
        memcpy(buf + done + ANVIL_NET_RECORD_HEAD, frame, flen);
        done += ANVIL_NET_RECORD_HEAD + flen;
        e->rx_frames++;
        rx_post(e, e->rx_next);
        last = e->rx_next;
        e->rx_next = (uint16_t)((e->rx_next + 1) % E1000_RING);
    }
    if (last >= 0) {
        mmio_barrier();   /* the emptied descriptors before the card may fill them */
        mmio_write32(e->regs, E1000_RDT, (uint32_t)last);
    }
    return done == 0 && rx_take(e) ? -EINVAL : (long)done;
}
