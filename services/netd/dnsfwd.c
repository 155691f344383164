/* services/netd/dnsfwd.c: a DNS forwarder on 127.0.0.1:53, so every
 * image's /etc/resolv.conf says "nameserver 127.0.0.1" and names resolve
 * through whatever server DHCP (or [network] dns) gave netd, even on a
 * read-only root, and a later DHCP answer needs no file rewritten. A query
 * goes to the server with an ID of our own; the answer goes back to the
 * asker with its ID. With no server known the asker gets SERVFAIL at once.
 * Only the IDs are read: the messages themselves are the asker's and the
 * server's business. */
#include <stdlib.h>
#include <string.h>

#include "lwip/dns.h"
#include "lwip/sys.h"
#include "lwip/udp.h"
#include "netd.h"
#include "svc.h"

#define DNS_PORT 53
#define DNS_HEADER 12
#define ASKS_MAX 64             /* queries waiting for the server; the oldest goes first */
#define ASK_TIMEOUT_MS 10000
#define RCODE_SERVFAIL 2

struct ask {
    bool used;
    uint16_t id, their_id;      /* ours to the server, the asker's */
    ip4_addr_t from;
    uint16_t port;
    u32_t sent;                 /* sys_now() */
};

static struct udp_pcb *local, *upstream;
static struct ask asks[ASKS_MAX];

static uint16_t id_of(const struct pbuf *p)
{
    const uint8_t *b = p->payload;

    return (uint16_t)(b[0] << 8 | b[1]);
}

static void id_set(struct pbuf *p, uint16_t id)
{
    uint8_t *b = p->payload;

    b[0] = (uint8_t)(id >> 8);
    b[1] = (uint8_t)id;
}

/* A free slot, or the oldest (its asker has given up by now). */
static struct ask *ask_new(void)
{
    struct ask *oldest = &asks[0];

    for (int i = 0; i < ASKS_MAX; i++) {
        if (!asks[i].used || sys_now() - asks[i].sent > ASK_TIMEOUT_MS)
            return &asks[i];
        if ((s32_t)(asks[i].sent - oldest->sent) < 0)
            oldest = &asks[i];
    }
    return oldest;
}

/* An ID no waiting query has. */
static uint16_t id_new(void)
{
    for (;;) {
        uint16_t id = (uint16_t)LWIP_RAND();
        bool taken = false;
        for (int i = 0; i < ASKS_MAX && !taken; i++)
            taken = asks[i].used && asks[i].id == id;
        if (!taken)
            return id;
    }
}

static void servfail(struct pbuf *q, const ip_addr_t *to, u16_t port)
{
    uint8_t *b = q->payload;

    b[2] |= 0x80;   /* QR: an answer */
    b[3] = (uint8_t)((b[3] & 0xf0) | RCODE_SERVFAIL);
    udp_sendto(local, q, to, port);
}

static void on_query(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    const ip_addr_t *server = dns_getserver(0);
    struct pbuf *q = p->tot_len >= DNS_HEADER ? pbuf_clone(PBUF_TRANSPORT, PBUF_RAM, p) : NULL;
    struct ask *a;

    (void)arg;
    (void)pcb;
    pbuf_free(p);
    if (!q)
        return;
    if (ip_addr_isany(server)) {
        servfail(q, addr, port);
    } else {
        a = ask_new();
        *a = (struct ask){true, id_new(), id_of(q), *ip_2_ip4(addr), port, sys_now()};
        id_set(q, a->id);
        udp_sendto(upstream, q, server, DNS_PORT);
    }
    pbuf_free(q);
}

static void on_answer(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    struct pbuf *q = p->tot_len >= DNS_HEADER ? pbuf_clone(PBUF_TRANSPORT, PBUF_RAM, p) : NULL;
    ip_addr_t to;

    (void)arg;
    (void)pcb;
    pbuf_free(p);
    if (!q)
        return;
    for (int i = 0; i < ASKS_MAX; i++) {
        struct ask *a = &asks[i];
        if (!a->used || a->id != id_of(q) || port != DNS_PORT || !ip_addr_cmp(addr, dns_getserver(0)))
            continue;
        id_set(q, a->their_id);
        ip_addr_copy_from_ip4(to, a->from);
        udp_sendto(local, q, &to, a->port);
        a->used = false;
        break;
    }
    pbuf_free(q);
}

int dns_forwarder_start(void)
{
    ip_addr_t lo;

    ip_addr_set_loopback(0, &lo);
    if (!(local = udp_new()) || !(upstream = udp_new()) || udp_bind(local, &lo, DNS_PORT) != ERR_OK ||
        udp_bind(upstream, IP_ADDR_ANY, 0) != ERR_OK)
        return -1;
    udp_recv(local, on_query, NULL);
    udp_recv(upstream, on_answer, NULL);
    return 0;
}
