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

#endif
