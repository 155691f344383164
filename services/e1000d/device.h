/* services/e1000d/device.h: an Intel 8254x card (QEMU's e1000, the
 * 82540EM) with its legacy receive ring full of 2 KiB DMA buffers and its
 * transmit ring, moving frames as the records of include/anvil/net.h. */
#ifndef ANVIL_E1000D_DEVICE_H
#define ANVIL_E1000D_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "dma.h"
#include "netscheme.h"

#define E1000_RING 256                  /* descriptors in each ring (a multiple of 8) */
#define E1000_BUF 2048                  /* one buffer per descriptor: RCTL.BSIZE */

struct e1000 {
    struct net_card card;               /* first: the scheme's callbacks get it */
    volatile void *regs;                /* BAR0, mapped */
    struct dma_buf rxring, txring;      /* the descriptors */
    struct dma_buf rxbufs, txbufs;      /* E1000_BUF bytes for each descriptor */
    uint16_t rx_next;                   /* the next descriptor the card fills */
    uint16_t tx_tail;                   /* the next descriptor we fill (TDT) */
    uint16_t tx_clean;                  /* the oldest one the card may still be sending */
    uint64_t rx_frames, tx_frames, rx_dropped;
};

/* The card whose callbacks got c: its first member. */
static inline struct e1000 *e1000_of(struct net_card *c)
{
    return (struct e1000 *)c;
}

/* Reset the card at regs, read its address, set up both rings and turn
 * receive and transmit on. irq_fd (MSI, an INTx line when line, or -1: we
 * poll) gets the receive interrupts. Then e->card is ready for
 * netscheme_serve: 0 or -errno. */
int e1000_start(struct e1000 *e, volatile void *regs, int irq_fd, bool line);
/* Whether the card says its link is up. */
bool e1000_link_up(const struct e1000 *e);

/* The rings (rx.c, tx.c): the DMA memory and the registers that name it. */
int e1000_rx_setup(struct e1000 *e);
int e1000_tx_setup(struct e1000 *e);
bool e1000_rx_ready(struct net_card *c);
long e1000_read(struct net_card *c, uint8_t *buf, size_t len);
bool e1000_tx_room(struct net_card *c);
long e1000_write(struct net_card *c, const uint8_t *buf, size_t len);

#endif
