/* services/netd/lwipopts.h: how netd builds lwIP (options: lwIP's
 * src/include/lwip/opt.h). One thread and no OS (NO_SYS): the raw API
 * driven from netd's poll loop. IPv4 with DHCP, ARP, ICMP, UDP, TCP, raw ICMP.
 * Sizes are raised from lwIP's small-device defaults for speed: full-size
 * segments, window scaling and 256 KiB windows, memory from malloc. */
#ifndef ANVIL_NETD_LWIPOPTS_H
#define ANVIL_NETD_LWIPOPTS_H

#define NO_SYS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_TIMERS 1

/* Memory: the C library's heap for both the heap and the pools, so the
 * counts below bound nothing but lwIP's own checks. */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT 8
#define PBUF_POOL_SIZE 1024
#define PBUF_POOL_BUFSIZE 1536            /* a frame (netd allocates received frames whole) */
#define MEMP_NUM_PBUF 1024
#define MEMP_NUM_TCP_PCB 128
#define MEMP_NUM_TCP_PCB_LISTEN 32
#define MEMP_NUM_UDP_PCB 16
#define MEMP_NUM_TCP_SEG 4096

/* Protocols. */
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define ARP_QUEUEING 1                 /* packets wait for an ARP answer (else all but the last are lost) */
#define ARP_QUEUE_LEN 32
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 1                      /* icmp: (ping) */
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define DHCP_DOES_ARP_CHECK 0          /* no second of probing before the address is used */
#define LWIP_DNS 1
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define LWIP_ALTCP 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define SO_REUSE 1                     /* a listener binds again over TIME_WAIT connections */

/* TCP, for speed (RFC 7323 window scaling: 256 KiB >> 3 fits the 16-bit field).
 * TCP_MSS is the most a segment may carry; lwIP cuts it to the interface's MTU
 * (the card: 1460), and the loopback interface has none, so 127.0.0.1 moves
 * 12 KiB segments: an eighth of the per-segment work of 1460 (lwIP wants
 * TCP_SNDLOWAT + 4 * TCP_MSS below 64 KiB). */
#define ETH_MSS 1460
#define TCP_MSS (12 * 1024)
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 3
#define TCP_WND (256 * 1024)
#define TCP_SND_BUF (256 * 1024)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / ETH_MSS)
#define TCP_SNDLOWAT (8 * ETH_MSS)
#define TCP_QUEUE_OOSEQ 1
#define TCP_LISTEN_BACKLOG 1
#define LWIP_TCP_KEEPALIVE 1
#define TCP_OVERSIZE ETH_MSS

/* Interfaces: one Ethernet card and the loopback; callbacks tell netd the address came. */
#define LWIP_SINGLE_NETIF 0
#define LWIP_HAVE_LOOPIF 1             /* 127.0.0.1, with or without a card */
#define LWIP_NETIF_LOOPBACK 1          /* packets to our own address; netd's loop drains them */
#define LWIP_LOOPBACK_MAX_PBUFS 0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_NETIF_HOSTNAME 1

#define LWIP_STATS 0
#define LWIP_STATS_DISPLAY 0

#endif
