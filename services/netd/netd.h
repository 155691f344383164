/* services/netd/netd.h: what netd's files share: the one interface (the
 * card behind net.NAME:), its schemes, and the loop that drives lwIP. */
#ifndef ANVIL_NETD_NETD_H
#define ANVIL_NETD_NETD_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

extern struct netif netd_if;       /* the card; written by lwIP's callbacks (one thread) */
extern bool netd_dhcp;             /* the address comes from DHCP (else it is static) */
extern bool netd_card;             /* a card opened (else netd_if is not added: loopback only) */

/* link.c: the card through the frame scheme (include/anvil/net.h). */
/* Open net.NAME: (two handles: non-blocking reads, blocking writes) and
 * read its MAC: the fd to poll for frames, or -errno. */
int link_open(const char *scheme);
/* Frames and their bytes through the card since netd started (netcfg:). */
struct link_counts {
    uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
};
extern struct link_counts link_counts;
/* Close the card's handles (it is gone); frames not sent are dropped. */
void link_close(void);
/* lwIP's init function for netd_if (netif_add's). */
err_t link_netif_init(struct netif *nif);
/* Feed every frame waiting now to lwIP: 0, or -errno when the card is gone. */
int link_input(void);
/* Send the frames lwIP queued since the last call, in one batch: 0 or -errno. */
int link_flush(void);

/* tcp.c: the tcp: scheme (docs/network.md). */
extern const struct scheme_ops tcp_ops;
extern int tcp_server_fd;

/* dgram.c: the udp: and icmp: schemes (docs/network.md). */
extern const struct scheme_ops udp_ops, icmp_ops;
extern int udp_server_fd, icmp_server_fd;

/* dnsfwd.c: the DNS forwarder on 127.0.0.1:53: 0, or -1 (no memory, port taken). */
int dns_forwarder_start(void);

/* netcfg.c: the netcfg: scheme: the interface's state as text. */
extern const struct scheme_ops netcfg_ops;

/* addr.c: "a.b.c.d" exactly (no other forms): true and *a, or false. */
bool addr_parse(const char *s, size_t len, ip4_addr_t *a);
/* "a.b.c.d:port" with port in lo..65535: true, *a and *port. */
bool addr_port_parse(const char *s, ip4_addr_t *a, uint16_t *port, unsigned lo);
/* What to bind or listen on: "ADDR:PORT", or "PORT" on every address (port 0..65535;
 * 0: lwIP picks a free one). */
bool addr_bind_parse(const char *s, ip4_addr_t *a, uint16_t *port);

#endif
