/* services/netd/dgram.c: the datagram schemes (docs/network.md), udp: on
 * lwIP's UDP API and icmp: on its raw API. One read or write is one
 * datagram.
 *   udp:HOST:PORT      connected: datagrams go to HOST:PORT, only its come back
 *   udp:bind/PORT      bound (udp:bind/ADDR:PORT on one address; port 0: lwIP
 *                      picks one): each datagram starts with struct
 *                      anvil_udp_head, the peer
 *   icmp:raw           ICMP messages, as a raw socket has them: writes are a
 *                      head (the destination, port 0) and the ICMP message;
 *                      reads a head (the sender) and the IP packet, header
 *                      included. lwIP still answers echo requests itself.
 * Received datagrams queue per handle (up to DGRAMS_MAX; more are dropped,
 * as UDP may); a read shorter than the datagram gets its start and the rest
 * is dropped. FCNTL(ANVIL_TCP_NAME) says a udp: handle's local address. */
#include <anvil/net.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>

#include "lwip/raw.h"
#include "lwip/udp.h"
#include "netd.h"
#include "svc.h"
#include "waiters.h"

#define DCONS_MAX 64
#define DGRAMS_MAX 64
#define HEAD ((size_t)sizeof(struct anvil_udp_head))
#define DATAGRAM_MAX 65507      /* IPv4's largest UDP payload */
#define IP_PROTO_ICMP_ 1

struct dgram {
    struct pbuf *p;
    ip4_addr_t from;
    uint16_t port;
};

struct dcon {
    bool used;
    bool bound;                 /* datagrams carry their peer (struct anvil_udp_head) */
    bool nonblock;
    bool raw;                   /* icmp: (a raw pcb), else udp: */
    int server_fd;              /* the scheme it came through */
    struct udp_pcb *udp;
    struct raw_pcb *rawpcb;
    struct dgram q[DGRAMS_MAX];
    unsigned head, count;
    struct waiters wait;        /* held READ and POLL */
};

static struct dcon dcons[DCONS_MAX];
int udp_server_fd = -1, icmp_server_fd = -1;

static struct dcon *dcon_get(int server_fd, uint64_t h)
{
    return h < DCONS_MAX && dcons[h].used && dcons[h].server_fd == server_fd ? &dcons[h] : NULL;
}

static long do_read(struct dcon *u, uint8_t *buf, size_t len)
{
    struct dgram *d;
    size_t at = 0, n;

    if (!u->count)
        return u->nonblock ? -EAGAIN : SVC_DEFER;
    d = &u->q[u->head];
    if (u->bound) {
        struct anvil_udp_head h = {.port = d->port};
        uint32_t a = ip4_addr_get_u32(&d->from);
        if (len < HEAD)
            return -EINVAL;
        memcpy(h.addr, &a, 4);   /* lwIP keeps addresses in network order */
        memcpy(buf, &h, HEAD);
        at = HEAD;
    }
    n = len - at < d->p->tot_len ? len - at : d->p->tot_len;
    pbuf_copy_partial(d->p, buf + at, (u16_t)n, 0);
    pbuf_free(d->p);
    u->head = (u->head + 1) % DGRAMS_MAX;
    u->count--;
    return (long)(at + n);
}

static long again(void *arg, const struct anvil_packet *p)
{
    struct dcon *u = arg;

    if (p->op == ANVIL_OP_READ)
        return do_read(u, (uint8_t *)(uintptr_t)p->arg[0], p->arg[1]);
    return u->count && (p->arg[2] & POLLIN) ? POLLIN : SVC_DEFER;
}

/* Queue a received datagram (the handle takes p). */
static void queue(struct dcon *u, struct pbuf *p, const ip_addr_t *addr, uint16_t port)
{
    if (u->count == DGRAMS_MAX) {
        pbuf_free(p);
        return;
    }
    u->q[(u->head + u->count++) % DGRAMS_MAX] = (struct dgram){p, *ip_2_ip4(addr), port};
    waiters_wake(u->server_fd, &u->wait, again, u);
}

static void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    (void)pcb;
    if (!arg)
        pbuf_free(p);
    else
        queue(arg, p, addr, port);
}

/* Every ICMP packet comes here first, its IP header in front. A copy is
 * queued; lwIP goes on with the original (it answers echo requests). */
static u8_t on_icmp(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
    struct pbuf *copy = arg ? pbuf_clone(PBUF_RAW, PBUF_RAM, p) : NULL;

    (void)pcb;
    if (copy)
        queue(arg, copy, addr, 0);
    return 0;
}

static struct dcon *dcon_new(int server_fd, bool bound, int flags)
{
    for (int i = 0; i < DCONS_MAX; i++)
        if (!dcons[i].used) {
            struct dcon *u = &dcons[i];
            memset(u, 0, sizeof(*u));
            u->server_fd = server_fd;
            u->bound = bound;
            u->nonblock = (flags & O_NONBLOCK) != 0;
            return u;
        }
    return NULL;
}

static long udp_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    bool bound = !strncmp(path, "bind/", 5);
    ip4_addr_t a;
    uint16_t port;
    struct dcon *u;
    err_t e;

    (void)c;
    (void)mode;
    if (!(bound ? addr_bind_parse(path + 5, &a, &port) : addr_port_parse(path, &a, &port, 1)))
        return bound ? -EINVAL : -ENOENT;
    if (!(u = dcon_new(udp_server_fd, bound, flags)) || !(u->udp = udp_new()))
        return -ENOMEM;
    e = bound ? udp_bind(u->udp, &a, port) : udp_connect(u->udp, &a, port);
    if (e != ERR_OK) {
        udp_remove(u->udp);
        return e == ERR_USE ? -EADDRINUSE : -ENOMEM;
    }
    u->used = true;
    udp_recv(u->udp, on_udp, u);
    return u - dcons;
}

static long icmp_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    struct dcon *u;

    (void)c;
    (void)mode;
    if (strcmp(path, "raw"))
        return -ENOENT;
    if (!(u = dcon_new(icmp_server_fd, true, flags)) || !(u->rawpcb = raw_new(IP_PROTO_ICMP_)))
        return -ENOMEM;
    u->raw = true;
    u->used = true;
    raw_recv(u->rawpcb, on_icmp, u);
    return u - dcons;
}

static long dg_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct dcon *u = dcon_get(c->server_fd, h);
    long r;

    (void)off;
    if (!u)
        return -EBADF;
    r = do_read(u, buf, len);
    return r == SVC_DEFER ? waiters_hold(u->server_fd, &u->wait, c->pkt) : r;
}

/* A write's head: the destination, checked. */
static long head_parse(const struct dcon *u, const void *buf, ip4_addr_t *to, uint16_t *port)
{
    struct anvil_udp_head head;

    memcpy(&head, buf, HEAD);
    if (head.reserved || (u->raw ? head.port != 0 : head.port == 0))
        return -EINVAL;
    IP4_ADDR(to, head.addr[0], head.addr[1], head.addr[2], head.addr[3]);
    *port = head.port;
    return 0;
}

static long dg_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct dcon *u = dcon_get(c->server_fd, h);
    size_t at = u && u->bound ? HEAD : 0;
    ip4_addr_t to;
    uint16_t port = 0;
    struct pbuf *p;
    err_t e;

    (void)off;
    if (!u)
        return -EBADF;
    if (len < at || len - at > DATAGRAM_MAX)
        return len < at ? -EINVAL : -EMSGSIZE;
    if (u->bound && head_parse(u, buf, &to, &port) < 0)
        return -EINVAL;
    if (!(p = pbuf_alloc(u->raw ? PBUF_IP : PBUF_TRANSPORT, (u16_t)(len - at), PBUF_RAM)))
        return -ENOMEM;
    memcpy(p->payload, (const uint8_t *)buf + at, len - at);
    if (u->raw)
        e = raw_sendto(u->rawpcb, p, &to);
    else
        e = u->bound ? udp_sendto(u->udp, p, &to, port) : udp_send(u->udp, p);
    pbuf_free(p);
    if (e == ERR_RTE)
        return -ENETUNREACH;
    return e == ERR_OK ? (long)len : -ENOMEM;
}

static long dg_poll(struct svc_ctx *c, uint64_t h, unsigned events)
{
    struct dcon *u = dcon_get(c->server_fd, h);
    unsigned ev = POLLOUT;

    if (!u)
        return POLLERR;
    if (u->count)
        ev |= POLLIN;
    if ((ev & events) || !(events & POLLIN))
        return (long)(ev & events);
    return waiters_hold(u->server_fd, &u->wait, c->pkt);
}

static long dg_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct dcon *u = dcon_get(c->server_fd, h);

    if (!u)
        return -EBADF;
    st->mode = S_IFSOCK | 0666;
    st->size = u->count ? u->q[u->head].p->tot_len + (u->bound ? HEAD : 0) : 0;
    return 0;
}

/* ANVIL_TCP_NAME on a udp: handle: its local address (the interface's
 * when bound to every address and talking to one peer). */
static long dg_fcntl(struct svc_ctx *c, uint64_t h, int cmd, uint64_t arg)
{
    struct dcon *u = dcon_get(c->server_fd, h);
    uint32_t a;

    if (!u)
        return -EBADF;
    if (cmd != ANVIL_TCP_NAME || arg != ANVIL_TCP_NAME_LOCAL || u->raw)
        return -EINVAL;
    a = ip4_addr_get_u32(ip_2_ip4(&u->udp->local_ip));
    if (!a && !u->bound)
        a = ip4_addr_get_u32(netif_ip4_addr(&netd_if));
    return anvil_tcp_name_pack((const uint8_t *)&a, u->udp->local_port);
}

static long dg_close(struct svc_ctx *c, uint64_t h)
{
    struct dcon *u = dcon_get(c->server_fd, h);

    if (!u)
        return -EBADF;
    if (u->raw)
        raw_remove(u->rawpcb);
    else
        udp_remove(u->udp);
    for (; u->count; u->count--, u->head = (u->head + 1) % DGRAMS_MAX)
        pbuf_free(u->q[u->head].p);
    waiters_drop(u->server_fd, &u->wait, -EBADF);
    u->used = false;
    return 0;
}

const struct scheme_ops udp_ops = {
    .open = udp_open, .read = dg_read, .write = dg_write, .poll = dg_poll,
    .fstat = dg_fstat, .fcntl = dg_fcntl, .close = dg_close,
};

const struct scheme_ops icmp_ops = {
    .open = icmp_open, .read = dg_read, .write = dg_write, .poll = dg_poll,
    .fstat = dg_fstat, .fcntl = dg_fcntl, .close = dg_close,
};
