/* kernel/net/ifinfo.h: the network interfaces, as netd's netcfg: says
 * (net/ifinfo.c): the SIOCGIF* ioctls and /proc/net/dev, tcp and udp. */
#ifndef ANVIL_NET_IFINFO_H
#define ANVIL_NET_IFINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "scheme/textfile.h"

struct net_ifinfo {
    bool card;                  /* netd has a card: eth0 exists */
    uint8_t addr[4], mask[4], mac[6];
    uint32_t mtu;
    uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
};

/* Read netcfg: in the caller's namespace into info: 0, or -errno
 * (ENETUNREACH: netd is not running). */
int net_ifinfo(struct net_ifinfo *info);
/* An SIOCGIFCONF or SIOCGIF* ioctl on an AF_INET socket: 0 or -errno
 * (ENOTTY: not one of these). */
long net_ifreq_ioctl(unsigned long cmd, uintptr_t arg);
/* /proc/net/dev, and /proc/net/tcp and udp (netd's text). */
void net_proc_dev(struct textbuf *tb);
void net_proc_tcp(struct textbuf *tb);
void net_proc_udp(struct textbuf *tb);
/* /proc/net/tcp6 and udp6: no IPv6, so a header alone. */
void net_proc_tcp6(struct textbuf *tb);

#endif
