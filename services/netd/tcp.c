/* services/netd/tcp.c: the tcp: scheme on lwIP's raw TCP API
 * (docs/network.md):
 *   tcp:HOST:PORT        connect (blocks until connected; O_NONBLOCK at once,
 *                        poll says POLLOUT when connected, POLLERR if refused)
 *   tcp:listen/PORT      listen on every address (tcp:listen/ADDR:PORT on one)
 *   tcp:accept/TOKEN     a connection a read of a listener handed out
 * A listener's read blocks until a connection comes and returns its token,
 * 16 hex digits and a newline, good for one open; DUP(listener, "accept")
 * gives the connection at once. Connections read and write bytes; reads
 * block until data or the peer's end (0), writes until lwIP's send buffer
 * takes some (short counts: the caller loops). FCNTL(ANVIL_TCP_NAME) says a
 * handle's local or peer address, FCNTL(ANVIL_TCP_SHUTDOWN) sends FIN,
 * ANVIL_TCP_NODELAY and ANVIL_TCP_KEEPALIVE set those options. Requests that must wait are held
 * (SVC_DEFER) and answered from lwIP's callbacks. */
#include <anvil/net.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lwip/tcp.h"
#include "netd.h"
#include "svc.h"
#include "waiters.h"

#define CONNS_MAX 256
#define RXQ_MAX 256            /* received pbuf chains queued on a connection */
#define BACKLOG_MAX 128        /* as Linux's SOMAXCONN was: listen(2)'s backlog is not passed on */
#define TOKEN_TEXT 17          /* 16 hex digits and a newline */
#define WRITE_FLAGS TCP_WRITE_FLAG_COPY

enum conn_state { C_FREE, C_CONNECTING, C_OPEN, C_LISTEN };

struct conn {
    int state;
    bool handle;               /* the kernel holds it as a handle (else: accepted, unclaimed) */
    bool nonblock;
    bool eof;                  /* the peer sent FIN */
    bool wr_shut;              /* we sent FIN (ANVIL_TCP_SHUTDOWN) */
    int err;                   /* errno once the connection failed (lwIP freed the pcb) */
    struct tcp_pcb *pcb;
    struct pbuf *rxq[RXQ_MAX]; /* received data in order; rxq[rx_head] partly read */
    unsigned rx_head, rx_count;
    struct conn *listener;     /* an accepted connection's, until claimed */
    uint64_t token;            /* set when a listener's read handed it out */
    struct anvil_packet open_req;   /* a blocking connect's OPEN */
    bool open_held;
    struct waiters wait;       /* held READ, WRITE, POLL, DUP */
};

static struct conn conns[CONNS_MAX];

static long conn_index(const struct conn *c)
{
    return (long)(c - conns);
}

static struct conn *conn_new(void)
{
    for (int i = 0; i < CONNS_MAX; i++)
        if (conns[i].state == C_FREE) {
            memset(&conns[i], 0, sizeof(conns[i]));
            return &conns[i];
        }
    return NULL;
}

static struct conn *conn_get(uint64_t h)
{
    return h < CONNS_MAX && conns[h].state != C_FREE && conns[h].handle ? &conns[h] : NULL;
}

static int errno_of(err_t e)
{
    switch (e) {
    case ERR_RST: return ECONNRESET;
    case ERR_ABRT: return ECONNABORTED;
    case ERR_CLSD: return ENOTCONN;
    case ERR_RTE: return ENETUNREACH;
    case ERR_USE: return EADDRINUSE;
    case ERR_MEM: case ERR_BUF: return ENOMEM;
    case ERR_TIMEOUT: return ETIMEDOUT;
    default: return EIO;
    }
}

static void rx_drop(struct conn *c)
{
    for (; c->rx_count; c->rx_count--, c->rx_head = (c->rx_head + 1) % RXQ_MAX)
        pbuf_free(c->rxq[c->rx_head]);
}

static unsigned ready_events(struct conn *c)
{
    unsigned ev = 0;

    if (c->err)
        return POLLIN | POLLOUT | POLLERR | POLLHUP;
    if (c->rx_count || c->eof)
        ev |= POLLIN;
    if (c->state == C_LISTEN) {
        for (int i = 0; i < CONNS_MAX; i++)
            if (conns[i].listener == c && !conns[i].token)
                return POLLIN;
        return 0;
    }
    if (c->state == C_OPEN && c->pcb && tcp_sndbuf(c->pcb) > 0)
        ev |= POLLOUT;
    return ev;
}

static long do_read(struct conn *c, void *buf, size_t len);
static long do_write(struct conn *c, const void *buf, size_t len);
static long do_accept_read(struct conn *l, void *buf, size_t len);
static long do_accept_dup(struct conn *l);

/* One held request again: its answer, or SVC_DEFER while it must wait. */
static long retry(void *arg, const struct anvil_packet *p)
{
    struct conn *c = arg;
    void *win = (void *)(uintptr_t)p->arg[0];
    unsigned ev;

    switch (p->op) {
    case ANVIL_OP_READ:
        return c->state == C_LISTEN ? do_accept_read(c, win, p->arg[1]) : do_read(c, win, p->arg[1]);
    case ANVIL_OP_WRITE:
        return do_write(c, win, p->arg[1]);
    case ANVIL_OP_DUP:
        return do_accept_dup(c);
    default:   /* POLL */
        ev = ready_events(c) & ((unsigned)p->arg[2] | POLLERR | POLLHUP);
        return ev ? (long)ev : SVC_DEFER;
    }
}

/* Answer what c's held requests can have now. */
static void wake(struct conn *c)
{
    waiters_wake(tcp_server_fd, &c->wait, retry, c);
}

static long hold(struct conn *c, const struct anvil_packet *p)
{
    return waiters_hold(tcp_server_fd, &c->wait, p);
}

/* Free c (its pcb already closed or gone), answering what it held. */
static void conn_free(struct conn *c, long held_result)
{
    waiters_drop(tcp_server_fd, &c->wait, held_result);
    if (c->open_held)
        svc_reply(tcp_server_fd, &c->open_req, held_result);
    rx_drop(c);
    c->state = C_FREE;
}

/* lwIP callbacks: arg is the conn. */

static void on_err(void *arg, err_t e)
{
    struct conn *c = arg;

    if (!c)
        return;
    c->pcb = NULL;   /* lwIP freed it */
    c->err = c->state == C_CONNECTING ? ECONNREFUSED : errno_of(e);
    if (c->open_held) {   /* a blocking connect failed: there is no handle */
        c->open_held = false;
        svc_reply(tcp_server_fd, &c->open_req, -c->err);
        conn_free(c, -c->err);
        return;
    }
    if (!c->handle && c->listener) {   /* accepted, never claimed */
        conn_free(c, -c->err);
        return;
    }
    wake(c);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t e)
{
    struct conn *c = arg;

    if (!c) {   /* its handle is closed: take and drop */
        if (p) {
            tcp_recved(pcb, p->tot_len);
            pbuf_free(p);
        }
        return ERR_OK;
    }
    if (e != ERR_OK) {
        if (p)
            pbuf_free(p);
        return ERR_OK;
    }
    if (!p)
        c->eof = true;
    else if (c->rx_count == RXQ_MAX)
        return ERR_MEM;   /* lwIP keeps it and offers it again */
    else
        c->rxq[(c->rx_head + c->rx_count++) % RXQ_MAX] = p;
    wake(c);
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)pcb;
    (void)len;
    if (arg)
        wake(arg);
    return ERR_OK;
}

static void callbacks(struct conn *c, struct tcp_pcb *pcb)
{
    tcp_arg(pcb, c);
    tcp_err(pcb, on_err);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t e)
{
    struct conn *c = arg;

    (void)pcb;
    (void)e;   /* always ERR_OK in lwIP 2.1: failures come through on_err */
    c->state = C_OPEN;
    if (c->open_held) {
        c->open_held = false;
        c->handle = true;
        svc_reply(tcp_server_fd, &c->open_req, conn_index(c));
    }
    wake(c);
    return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t e)
{
    struct conn *l = arg, *c;
    int queued = 0;

    if (e != ERR_OK || !pcb || !l)
        return ERR_VAL;
    for (int i = 0; i < CONNS_MAX; i++)
        queued += conns[i].state != C_FREE && conns[i].listener == l;
    if (queued >= BACKLOG_MAX || !(c = conn_new())) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    c->state = C_OPEN;
    c->pcb = pcb;
    c->listener = l;
    callbacks(c, pcb);
    wake(l);
    return ERR_OK;
}

/* Data: reads, writes, accepts. */

static long do_read(struct conn *c, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len && c->rx_count) {
        struct pbuf *p = c->rxq[c->rx_head];
        u16_t n = (u16_t)(len - done < p->tot_len ? len - done : p->tot_len);

        pbuf_copy_partial(p, (char *)buf + done, n, 0);
        done += n;
        if (c->pcb)
            tcp_recved(c->pcb, n);
        if (n == p->tot_len) {
            pbuf_free(p);
            c->rx_head = (c->rx_head + 1) % RXQ_MAX;
            c->rx_count--;
        } else {
            c->rxq[c->rx_head] = pbuf_free_header(p, n);
        }
    }
    if (done)
        return (long)done;
    if (c->err)
        return -c->err;
    if (c->eof || len == 0)
        return 0;
    return c->nonblock ? -EAGAIN : SVC_DEFER;
}

static long do_write(struct conn *c, const void *buf, size_t len)
{
    size_t n;

    if (c->err)
        return c->err == ECONNRESET ? -EPIPE : -c->err;
    if (c->wr_shut)
        return -EPIPE;
    if (c->state == C_CONNECTING)
        return c->nonblock ? -EAGAIN : SVC_DEFER;
    if (c->state != C_OPEN || !c->pcb)
        return -ENOTCONN;
    n = tcp_sndbuf(c->pcb);
    if (n > len)
        n = len;
    if (n > 0xffff)
        n = 0xffff;
    while (n > 0 && tcp_write(c->pcb, buf, (u16_t)n, WRITE_FLAGS) == ERR_MEM)
        n /= 2;   /* the segment queue is full before the byte count */
    if (n == 0)
        return len == 0 ? 0 : c->nonblock ? -EAGAIN : SVC_DEFER;
    tcp_output(c->pcb);
    return (long)n;
}

/* The first queued connection of listener l not handed out yet, or NULL. */
static struct conn *queued(struct conn *l)
{
    for (int i = 0; i < CONNS_MAX; i++)
        if (conns[i].state != C_FREE && conns[i].listener == l && !conns[i].token)
            return &conns[i];
    return NULL;
}

static long do_accept_read(struct conn *l, void *buf, size_t len)
{
    struct conn *c = queued(l);
    char text[TOKEN_TEXT + 1];

    if (len < TOKEN_TEXT)
        return -EINVAL;
    if (!c)
        return l->nonblock ? -EAGAIN : SVC_DEFER;
    while (!c->token)
        c->token = (uint64_t)netd_random() << 32 | netd_random();
    snprintf(text, sizeof(text), "%016llx\n", (unsigned long long)c->token);
    memcpy(buf, text, TOKEN_TEXT);
    return TOKEN_TEXT;
}

/* c becomes a handle of its own. */
static long claim(struct conn *c)
{
    c->listener = NULL;
    c->token = 0;
    c->handle = true;
    return conn_index(c);
}

static long do_accept_dup(struct conn *l)
{
    struct conn *c = queued(l);

    if (!c)
        return l->nonblock ? -EAGAIN : SVC_DEFER;
    return claim(c);
}

/* Opening. */

static long open_accept(const char *token, bool nonblock)
{
    char *end;
    unsigned long long t = strtoull(token, &end, 16);

    if (end - token != 16 || *end || t == 0)
        return -ENOENT;
    for (int i = 0; i < CONNS_MAX; i++)
        if (conns[i].state != C_FREE && !conns[i].handle && conns[i].token == t) {
            conns[i].nonblock = nonblock;
            return claim(&conns[i]);
        }
    return -ENOENT;
}

static long open_listen(const char *where, bool nonblock)
{
    ip4_addr_t a;
    uint16_t port;
    struct tcp_pcb *pcb, *lpcb;
    struct conn *c;
    err_t e;

    if (!addr_bind_parse(where, &a, &port))
        return -EINVAL;
    if (!(c = conn_new()) || !(pcb = tcp_new()))
        return -ENOMEM;
    ip_set_option(pcb, SOF_REUSEADDR);
    if ((e = tcp_bind(pcb, &a, port)) != ERR_OK) {
        tcp_close(pcb);
        return -errno_of(e);
    }
    if (!(lpcb = tcp_listen_with_backlog_and_err(pcb, BACKLOG_MAX, &e))) {
        tcp_close(pcb);
        return -errno_of(e);   /* ERR_USE: another listener has the port */
    }
    c->state = C_LISTEN;
    c->pcb = lpcb;
    c->handle = true;
    c->nonblock = nonblock;
    tcp_arg(lpcb, c);
    tcp_accept(lpcb, on_accept);
    return conn_index(c);
}

static long open_connect(struct svc_ctx *ctx, const char *where, bool nonblock)
{
    ip4_addr_t a;
    uint16_t port;
    struct tcp_pcb *pcb;
    struct conn *c;
    err_t e;

    if (!addr_port_parse(where, &a, &port, 1))
        return -ENOENT;
    if (!ip4_addr_isloopback(&a) && ip4_addr_isany_val(*netif_ip4_addr(&netd_if)))
        return -ENETUNREACH;   /* no address yet (DHCP still asking), or no card */
    if (!(c = conn_new()) || !(pcb = tcp_new()))
        return -ENOMEM;
    c->state = C_CONNECTING;
    c->pcb = pcb;
    c->nonblock = nonblock;
    callbacks(c, pcb);
    if ((e = tcp_connect(pcb, &a, port, on_connected)) != ERR_OK) {
        tcp_arg(pcb, NULL);
        tcp_abort(pcb);
        c->state = C_FREE;
        return -errno_of(e);
    }
    if (nonblock) {
        c->handle = true;
        return conn_index(c);
    }
    c->open_req = *ctx->pkt;
    c->open_held = true;
    return SVC_DEFER;
}

static long sch_open(struct svc_ctx *ctx, const char *path, int flags, unsigned mode)
{
    bool nonblock = (flags & O_NONBLOCK) != 0;

    (void)mode;
    if (!strncmp(path, "listen/", 7))
        return open_listen(path + 7, nonblock);
    if (!strncmp(path, "accept/", 7))
        return open_accept(path + 7, nonblock);
    return open_connect(ctx, path, nonblock);
}

/* Requests on handles. */

static long sch_read(struct svc_ctx *ctx, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct conn *c = conn_get(h);
    long r;

    (void)off;
    if (!c)
        return -EBADF;
    r = c->state == C_LISTEN ? do_accept_read(c, buf, len) : do_read(c, buf, len);
    return r == SVC_DEFER ? hold(c, ctx->pkt) : r;
}

static long sch_write(struct svc_ctx *ctx, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct conn *c = conn_get(h);
    long r;

    (void)off;
    if (!c)
        return -EBADF;
    if (c->state == C_LISTEN)
        return -ENOTCONN;
    r = do_write(c, buf, len);
    return r == SVC_DEFER ? hold(c, ctx->pkt) : r;
}

static long sch_dup(struct svc_ctx *ctx, uint64_t h, const char *name)
{
    struct conn *c = conn_get(h);
    long r;

    if (!c)
        return -EBADF;
    if (c->state != C_LISTEN || !name || strcmp(name, "accept"))
        return -EINVAL;
    r = do_accept_dup(c);
    return r == SVC_DEFER ? hold(c, ctx->pkt) : r;
}

/* ANVIL_TCP_NAME: the kernel's getsockname and getpeername. */
static long tcp_name(struct conn *c, uint64_t which)
{
    const ip_addr_t *ip;
    uint32_t a;
    uint16_t port;

    if (which != ANVIL_TCP_NAME_LOCAL && which != ANVIL_TCP_NAME_PEER)
        return -EINVAL;
    if (!c->pcb || c->state == C_CONNECTING || (which == ANVIL_TCP_NAME_PEER && c->state == C_LISTEN))
        return -ENOTCONN;
    ip = which == ANVIL_TCP_NAME_PEER ? &c->pcb->remote_ip : &c->pcb->local_ip;
    port = which == ANVIL_TCP_NAME_PEER ? c->pcb->remote_port : c->pcb->local_port;
    a = ip4_addr_get_u32(ip_2_ip4(ip));   /* network order in memory */
    return anvil_tcp_name_pack((const uint8_t *)&a, port);
}

/* ANVIL_TCP_SHUTDOWN: FIN now; the receiving side stays open. */
static long tcp_send_fin(struct conn *c)
{
    err_t e;

    if (c->state != C_OPEN || !c->pcb)
        return c->err ? -c->err : -ENOTCONN;
    if (c->wr_shut)
        return 0;
    if ((e = tcp_shutdown(c->pcb, 0, 1)) != ERR_OK)
        return -errno_of(e);
    c->wr_shut = true;
    return 0;
}

/* ANVIL_TCP_NODELAY, ANVIL_TCP_KEEPALIVE: setsockopt's, from the kernel. */
static long tcp_option(struct conn *c, int cmd, uint64_t on)
{
    if (!c->pcb || on > 1)
        return c->pcb ? -EINVAL : -ENOTCONN;
    if (cmd == ANVIL_TCP_NODELAY && c->state != C_LISTEN) {
        if (on)
            tcp_nagle_disable(c->pcb);
        else
            tcp_nagle_enable(c->pcb);
    } else if (cmd == ANVIL_TCP_KEEPALIVE) {
        if (on)
            ip_set_option(c->pcb, SOF_KEEPALIVE);
        else
            ip_reset_option(c->pcb, SOF_KEEPALIVE);
    }
    return 0;
}

static long sch_fcntl(struct svc_ctx *ctx, uint64_t h, int cmd, uint64_t arg)
{
    struct conn *c = conn_get(h);

    (void)ctx;
    if (!c)
        return -EBADF;
    if (cmd == ANVIL_TCP_SHUTDOWN)
        return tcp_send_fin(c);
    if (cmd == ANVIL_TCP_NODELAY || cmd == ANVIL_TCP_KEEPALIVE)
        return tcp_option(c, cmd, arg);
    return cmd == ANVIL_TCP_NAME ? tcp_name(c, arg) : -EINVAL;
}

static long sch_poll(struct svc_ctx *ctx, uint64_t h, unsigned events)
{
    struct conn *c = conn_get(h);
    unsigned ev;

    if (!c)
        return POLLERR;
    ev = ready_events(c) & (events | POLLERR | POLLHUP);
    if (ev || !(events & (POLLIN | POLLOUT)))
        return (long)ev;
    return hold(c, ctx->pkt);
}

static long sch_fstat(struct svc_ctx *ctx, uint64_t h, struct anvil_stat *st)
{
    struct conn *c = conn_get(h);

    (void)ctx;
    if (!c)
        return -EBADF;
    st->mode = S_IFSOCK | 0666;
    st->size = 0;
    for (unsigned i = 0; i < c->rx_count; i++)
        st->size += c->rxq[(c->rx_head + i) % RXQ_MAX]->tot_len;
    return 0;
}

/* Close a listener: its queued connections go too (reset). */
static void listener_close(struct conn *l)
{
    for (int i = 0; i < CONNS_MAX; i++)
        if (conns[i].state != C_FREE && conns[i].listener == l && !conns[i].handle) {
            if (conns[i].pcb) {
                tcp_arg(conns[i].pcb, NULL);
                tcp_abort(conns[i].pcb);
            }
            conn_free(&conns[i], -ECONNABORTED);
        }
    tcp_close(l->pcb);
}

static long sch_close(struct svc_ctx *ctx, uint64_t h)
{
    struct conn *c = conn_get(h);

    (void)ctx;
    if (!c)
        return -EBADF;
    if (c->state == C_LISTEN) {
        listener_close(c);
    } else if (c->pcb) {
        /* lwIP finishes sending what is queued, then closes; later events find no conn */
        tcp_arg(c->pcb, NULL);
        tcp_err(c->pcb, NULL);
        tcp_sent(c->pcb, NULL);
        tcp_recv(c->pcb, NULL);
        if (c->rx_count || tcp_close(c->pcb) != ERR_OK)
            tcp_abort(c->pcb);   /* unread data: reset, as Linux does */
    }
    c->pcb = NULL;
    conn_free(c, -EBADF);
    return 0;
}

const struct scheme_ops tcp_ops = {
    .open = sch_open, .read = sch_read, .write = sch_write, .dup = sch_dup, .poll = sch_poll,
    .fstat = sch_fstat, .fcntl = sch_fcntl, .close = sch_close,
};
