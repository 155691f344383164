/* services/netd/udp.c: the udp: scheme on lwIP's raw UDP API
 * (docs/network.md). One read or write is one datagram.
 *   udp:HOST:PORT      connected: datagrams go to HOST:PORT, only its come back
 *   udp:bind/PORT      bound (udp:bind/ADDR:PORT on one address): each
 *                      datagram starts with struct anvil_udp_head, the peer
 * Received datagrams queue per handle (up to UDGRAMS_MAX; more are dropped,
 * as UDP may); a read shorter than the datagram gets its start and the rest
 * is dropped. */
#include <anvil/net.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>

#include "lwip/udp.h"
#include "netd.h"
#include "svc.h"
#include "waiters.h"

#define UCONS_MAX 64
#define UDGRAMS_MAX 64
#define HEAD ((size_t)sizeof(struct anvil_udp_head))
#define DATAGRAM_MAX 65507      /* IPv4's largest UDP payload */

struct udgram {
    struct pbuf *p;
    ip4_addr_t from;
    uint16_t port;
};

struct ucon {
    bool used;
    bool bound;                 /* datagrams carry their peer (struct anvil_udp_head) */
    bool nonblock;
    struct udp_pcb *pcb;
    struct udgram q[UDGRAMS_MAX];
    unsigned head, count;
    struct waiters wait;        /* held READ and POLL */
};

static struct ucon ucons[UCONS_MAX];
int udp_server_fd = -1;

static struct ucon *ucon_get(uint64_t h)
{
    return h < UCONS_MAX && ucons[h].used ? &ucons[h] : NULL;
}

static long do_read(struct ucon *u, uint8_t *buf, size_t len)
{
    struct udgram *d;
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
    u->head = (u->head + 1) % UDGRAMS_MAX;
    u->count--;
    return (long)(at + n);
}

static long again(void *arg, const struct anvil_packet *p)
{
    struct ucon *u = arg;

    if (p->op == ANVIL_OP_READ)
        return do_read(u, (uint8_t *)(uintptr_t)p->arg[0], p->arg[1]);
    return u->count && (p->arg[2] & POLLIN) ? POLLIN : SVC_DEFER;
}

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    struct ucon *u = arg;

    (void)pcb;
    if (!u || u->count == UDGRAMS_MAX) {
        pbuf_free(p);
        return;
    }
    u->q[(u->head + u->count++) % UDGRAMS_MAX] = (struct udgram){p, *ip_2_ip4(addr), port};
    waiters_wake(udp_server_fd, &u->wait, again, u);
}

static long sch_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    bool bound = !strncmp(path, "bind/", 5);
    ip4_addr_t a;
    uint16_t port;
    struct ucon *u = NULL;
    err_t e;

    (void)c;
    (void)mode;
    if (!(bound ? addr_bind_parse(path + 5, &a, &port) : addr_port_parse(path, &a, &port, 1)))
        return bound ? -EINVAL : -ENOENT;
    for (int i = 0; i < UCONS_MAX && !u; i++)
        u = ucons[i].used ? NULL : &ucons[i];
    if (!u || !(u->pcb = udp_new()))
        return -ENOMEM;
    e = bound ? udp_bind(u->pcb, &a, port) : udp_connect(u->pcb, &a, port);
    if (e != ERR_OK) {
        udp_remove(u->pcb);
        return e == ERR_USE ? -EADDRINUSE : -ENOMEM;
    }
    u->used = true;
    u->bound = bound;
    u->nonblock = (flags & O_NONBLOCK) != 0;
    u->head = u->count = 0;
    u->wait.n = 0;
    udp_recv(u->pcb, on_recv, u);
    return u - ucons;
}

static long sch_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct ucon *u = ucon_get(h);
    long r;

    (void)off;
    if (!u)
        return -EBADF;
    r = do_read(u, buf, len);
    return r == SVC_DEFER ? waiters_hold(udp_server_fd, &u->wait, c->pkt) : r;
}

static long sch_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct ucon *u = ucon_get(h);
    struct anvil_udp_head head;
    size_t at = u && u->bound ? HEAD : 0;
    ip4_addr_t to;
    struct pbuf *p;
    err_t e;

    (void)c;
    (void)off;
    if (!u)
        return -EBADF;
    if (len < at || len - at > DATAGRAM_MAX)
        return len < at ? -EINVAL : -EMSGSIZE;
    if (u->bound) {
        memcpy(&head, buf, HEAD);
        if (!head.port || head.reserved)
            return -EINVAL;
        IP4_ADDR(&to, head.addr[0], head.addr[1], head.addr[2], head.addr[3]);
    }
    if (!(p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)(len - at), PBUF_RAM)))
        return -ENOMEM;
    memcpy(p->payload, (const uint8_t *)buf + at, len - at);
    e = u->bound ? udp_sendto(u->pcb, p, &to, head.port) : udp_send(u->pcb, p);
    pbuf_free(p);
    if (e == ERR_RTE)
        return -ENETUNREACH;
    return e == ERR_OK ? (long)len : -ENOMEM;
}

static long sch_poll(struct svc_ctx *c, uint64_t h, unsigned events)
{
    struct ucon *u = ucon_get(h);
    unsigned ev = POLLOUT;

    if (!u)
        return POLLERR;
    if (u->count)
        ev |= POLLIN;
    if ((ev & events) || !(events & POLLIN))
        return (long)(ev & events);
    return waiters_hold(udp_server_fd, &u->wait, c->pkt);
}

static long sch_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct ucon *u = ucon_get(h);

    (void)c;
    if (!u)
        return -EBADF;
    st->mode = S_IFSOCK | 0666;
    st->size = u->count ? u->q[u->head].p->tot_len + (u->bound ? HEAD : 0) : 0;
    return 0;
}

static long sch_close(struct svc_ctx *c, uint64_t h)
{
    struct ucon *u = ucon_get(h);

    (void)c;
    if (!u)
        return -EBADF;
    udp_remove(u->pcb);
    for (; u->count; u->count--, u->head = (u->head + 1) % UDGRAMS_MAX)
        pbuf_free(u->q[u->head].p);
    waiters_drop(udp_server_fd, &u->wait, -EBADF);
    u->used = false;
    return 0;
}

const struct scheme_ops udp_ops = {
    .open = sch_open, .read = sch_read, .write = sch_write, .poll = sch_poll,
    .fstat = sch_fstat, .close = sch_close,
};
