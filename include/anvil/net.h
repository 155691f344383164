/* include/anvil/net.h: the frame scheme a network card driver serves
 * (net.NAME:, docs/network.md): Ethernet frames moved in batches, each as a
 * record of a 16-bit length and the frame, records back to back. */
#ifndef ANVIL_NET_H
#define ANVIL_NET_H

#include <stdint.h>

#define ANVIL_NET_FRAME_MIN 14      /* an Ethernet header: destination, source, type */
#define ANVIL_NET_FRAME_MAX 1514    /* header and a 1500-byte payload, without the FCS */
#define ANVIL_NET_RECORD_HEAD 2     /* uint16_t length, little-endian, before each frame */
#define ANVIL_NET_MAC_LEN 6

/* The length of the record at p (at least ANVIL_NET_RECORD_HEAD bytes). */
static inline uint16_t anvil_net_record_len(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline void anvil_net_record_put(uint8_t *p, uint16_t len)
{
    p[0] = (uint8_t)len;
    p[1] = (uint8_t)(len >> 8);
}

/* udp:bind/PORT handles (docs/network.md): each datagram read or written
 * starts with its peer: the sender's on a read, the destination on a write. */
struct anvil_udp_head {
    uint8_t addr[4];            /* IPv4 address, in network order: 10.0.2.2 is 10, 0, 2, 2 */
    uint16_t port;              /* in host order */
    uint16_t reserved;          /* 0 */
};
_Static_assert(sizeof(struct anvil_udp_head) == 8, "ABI: the UDP head is 8 bytes");

/* tcp: and udp: handles answer ANVIL_OP_FCNTL with this command (no fcntl(2) number;
 * udp: only the local address):
 * arg 0 asks the local address, 1 the peer's; the result packs the IPv4
 * address (network order, as bytes a.b.c.d) and the port as
 * a << 40 | b << 32 | c << 24 | d << 16 | port; ENOTCONN when there is none. */
#define ANVIL_TCP_NAME 0x7401
#define ANVIL_TCP_NAME_LOCAL 0
#define ANVIL_TCP_NAME_PEER 1

/* tcp: handles: FCNTL(ANVIL_TCP_SHUTDOWN, 0) ends the sending side (the peer
 * reads its end: a FIN); later writes fail with EPIPE, reads go on. */
#define ANVIL_TCP_SHUTDOWN 0x7402
/* FCNTL(ANVIL_TCP_NODELAY, 0 or 1): Nagle's algorithm on (0) or off (1);
 * FCNTL(ANVIL_TCP_KEEPALIVE, 0 or 1): keepalive probes off or on. */
#define ANVIL_TCP_NODELAY 0x7403
#define ANVIL_TCP_KEEPALIVE 0x7404

static inline int64_t anvil_tcp_name_pack(const uint8_t addr[4], uint16_t port)
{
    return (int64_t)addr[0] << 40 | (int64_t)addr[1] << 32 | (int64_t)addr[2] << 24 |
           (int64_t)addr[3] << 16 | port;
}

/* False when v is no packed name. */
static inline int anvil_tcp_name_unpack(int64_t v, uint8_t addr[4], uint16_t *port)
{
    if (v < 0 || v >= (int64_t)1 << 48)
        return 0;
    for (int i = 0; i < 4; i++)
        addr[i] = (uint8_t)(v >> (40 - 8 * i));
    *port = (uint16_t)v;
    return 1;
}

#endif
