/* services/lib/netscheme.h: what a network card driver gives the frame
 * scheme library: its address, its interrupt, and frames moved as the
 * records of include/anvil/net.h. The library serves net.NAME: (frames,
 * "mac") with the blocking and poll rules of docs/network.md. */
#ifndef ANVIL_SERVICES_LIB_NETSCHEME_H
#define ANVIL_SERVICES_LIB_NETSCHEME_H

#include <anvil/net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETSCHEME_POLL_MS 2          /* how often the card is looked at without an interrupt */

struct net_card {
    uint8_t mac[ANVIL_NET_MAC_LEN];
    int irq_fd;                      /* an irq: fd counting the card's interrupts, or -1: we poll */
    bool irq_line;                   /* irq_fd is a level-triggered INTx line, acknowledged after quiet */
    /* Whether a received frame waits. */
    bool (*rx_ready)(struct net_card *c);
    /* Received frames as records into buf, as many as fit: the bytes (0
     * when none waits; -EINVAL when len cannot hold the next one). */
    long (*read)(struct net_card *c, uint8_t *buf, size_t len);
    /* Send the whole records in buf: the bytes taken (fewer when the
     * transmit ring fills), -EAGAIN when none could go, -EINVAL when the
     * first record is malformed. */
    long (*write)(struct net_card *c, const uint8_t *buf, size_t len);
    /* Whether a frame could be sent now (finished ones are taken back first). */
    bool (*tx_room)(struct net_card *c);
    /* After an interrupt, before the line is acknowledged: make the card
     * drop it (read its cause register). NULL: nothing to do (MSI, MSI-X). */
    void (*quiet)(struct net_card *c);
};

/* The frame length of the record at buf + off (buf is len bytes): 0 when
 * no whole, well-formed record starts there. */
uint16_t netscheme_record(const uint8_t *buf, size_t len, size_t off);
/* Register scheme (net.NAME) and serve c forever: returns only when that
 * fails (-errno). */
int netscheme_serve(const char *scheme, struct net_card *c);

#endif
