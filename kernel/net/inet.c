/* kernel/net/inet.c: AF_INET stream sockets as handles of netd's tcp:
 * scheme (docs/sockets.md): connect opens tcp:A.B.C.D:PORT, bind + listen
 * opens tcp:listen/PORT (port 0, or listen without bind: netd picks one),
 * accept reads a token from the listener and opens tcp:accept/TOKEN,
 * shutdown(SHUT_WR) asks netd for a FIN. Opens go through the caller's
 * namespace. Datagram and raw sockets are net/inet_dgram.c. */
#include <anvil/net.h>

#include "net/inet.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "scheme/dispatch.h"


#define TCP_NODELAY 1           /* Linux include/uapi/linux/tcp.h */
#define TCP_KEEPIDLE 4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT 6
#define INET_PATH_MAX 48        /* "tcp:listen/255.255.255.255:65535" */
#define TOKEN_TEXT 17           /* netd: 16 hex digits and a newline */
/* How long a look that must not block waits for netd's POLL answer. */
#define INET_GRACE_NS (10 * 1000000ull)

static int inet_create(struct socket *s, int protocol)
{
    struct inet_sock *in;

    if (protocol != 0 && protocol != IPPROTO_TCP)
        return -EPROTONOSUPPORT;
    if (!(in = kzalloc(sizeof(*in))))
        return -ENOMEM;
    in->local.family = in->peer.family = AF_INET;
    s->protocol = IPPROTO_TCP;
    s->priv = in;
    return 0;
}

int inet_addr_parse(const void *addr, unsigned len, struct inet_addr *out)
{
    if (len < sizeof(*out))
        return -EINVAL;
    memcpy(out, addr, sizeof(*out));
    if (out->family != AF_INET)
        return -EAFNOSUPPORT;
    memset(out->zero, 0, sizeof(out->zero));
    return 0;
}

unsigned inet_port(const struct inet_addr *a)
{
    return (unsigned)(a->port >> 8 | (a->port & 0xff) << 8);
}

int inet_open_flags(const char *path, unsigned flags, struct file **out)
{
    struct scheme_path sp;
    int err = scheme_route(proc_current()->cwd, path, &sp);

    if (!err)
        err = scheme_open_path(&sp, flags, 0, out);
    return err == -ENODEV ? -ENETUNREACH : err;
}

int inet_open(const char *path, struct file **out)
{
    return inet_open_flags(path, O_RDWR | O_NONBLOCK, out);
}

/* Tell netd one option of the connection (ANVIL_TCP_NODELAY, _KEEPALIVE), if it has one. */
static void option_send(struct inet_sock *in, int cmd, bool on)
{
    if (in->conn && in->conn->ops->fcntl)
        in->conn->ops->fcntl(in->conn, cmd, on);
}

/* Give netd the options kept so far (a connection came: connect, accept). */
static void options_send(struct socket *s, struct inet_sock *in)
{
    if (in->nodelay)
        option_send(in, ANVIL_TCP_NODELAY, true);
    if (s->keepalive)
        option_send(in, ANVIL_TCP_KEEPALIVE, true);
}

static int inet_bind(struct socket *s, const void *addr, unsigned len)
{
    struct inet_sock *in = s->priv;
    struct inet_addr a;
    int err = inet_addr_parse(addr, len, &a);

    if (err)
        return err;
    if (in->bound || in->state != INET_NEW)
        return -EINVAL;
    in->local = a;
    in->bound = true;
    return 0;
}

/* The error that ended a connect: netd gives it to the next read. */
static int conn_error(struct file *conn)
{
    char c;
    long r = conn->ops->kread ? conn->ops->kread(conn, &c, 1, 0) : -EIO;

    if (r == -ENODEV)
        return -ECONNABORTED;   /* netd died */
    return r < 0 && r != -EAGAIN ? (int)r : -ECONNREFUSED;
}

/* Wait (until deadline) for a connect under way: 0 when connected,
 * -EALREADY still under way at the deadline, -EINTR, or its error (the
 * socket is then unconnected again). */
static int connect_finish(struct socket *s, uint64_t deadline)
{
    struct inet_sock *in = s->priv;
    struct file *conn = in->conn;
    unsigned ev = 0;
    int err;

    file_get(conn);   /* another thread's connect or SO_ERROR may finish it meanwhile */
    err = inet_wait(conn, POLLOUT, deadline, &ev);
    if (in->conn != conn || in->state != INET_CONNECTING)
        err = in->state == INET_CONNECTED ? 0 : -ECONNABORTED;
    else if (err)
        err = err == -EAGAIN ? -EALREADY : err;
    else if (ev & POLLERR) {
        err = conn_error(conn);
        file_put(in->conn);
        in->conn = NULL;
        in->state = INET_NEW;
    } else
        in->state = INET_CONNECTED;
    file_put(conn);
    return err;
}

/* A second connect: EALREADY (non-blocking, under way), EISCONN, the error. */
static int connect_again(struct socket *s, bool nonblock)
{
    struct inet_sock *in = s->priv;
    int err;

    if (in->state == INET_CONNECTED)
        return -EISCONN;
    if (in->state == INET_LISTENING)
        return -EINVAL;
    err = connect_finish(s, nonblock ? clock_monotonic_ns() + INET_GRACE_NS
                                      : socket_deadline(s->sndtimeo));
    return err == 0 && nonblock ? -EISCONN : err;
}

static int inet_connect(struct socket *s, const void *addr, unsigned len, bool nonblock)
{
    struct inet_sock *in = s->priv;
    char path[INET_PATH_MAX];
    struct inet_addr a;
    int err = inet_addr_parse(addr, len, &a);

    if (err)
        return err;
    if (in->state != INET_NEW)
        return connect_again(s, nonblock);
    if (inet_port(&a) == 0)
        return -ECONNREFUSED;
    ksnprintf(path, sizeof(path), "tcp:%u.%u.%u.%u:%u", a.addr[0], a.addr[1], a.addr[2],
              a.addr[3], inet_port(&a));
    if ((err = inet_open(path, &in->conn)) < 0)
        return err;
    options_send(s, in);
    in->peer = a;
    in->state = INET_CONNECTING;
    if (nonblock)
        return -EINPROGRESS;
    err = connect_finish(s, socket_deadline(s->sndtimeo));
    return err == -EALREADY ? -ETIMEDOUT : err;
}

static int inet_listen(struct socket *s, int backlog)
{
    struct inet_sock *in = s->priv;
    const uint8_t *b = in->local.addr;
    char path[INET_PATH_MAX];
    int err;

    (void)backlog;   /* netd keeps up to 128 waiting */
    if (in->state == INET_LISTENING)
        return 0;
    if (in->state != INET_NEW)
        return -EINVAL;
    if (b[0] | b[1] | b[2] | b[3])   /* port 0 (or no bind): netd picks a free port */
        ksnprintf(path, sizeof(path), "tcp:listen/%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3],
                  inet_port(&in->local));
    else
        ksnprintf(path, sizeof(path), "tcp:listen/%u", inet_port(&in->local));
    if ((err = inet_open(path, &in->conn)) < 0)
        return err;
    in->state = INET_LISTENING;
    s->listening = true;
    in->bound = true;
    if (inet_port(&in->local) == 0)
        inet_name_ask(in->conn, false, &in->local);   /* the port netd picked */
    return 0;
}

void inet_name_ask(struct file *conn, bool peer, struct inet_addr *out)
{
    struct inet_addr a = {.family = AF_INET};
    uint16_t port;
    long v;

    if (!conn || !conn->ops->fcntl)
        return;
    v = conn->ops->fcntl(conn, ANVIL_TCP_NAME, peer ? ANVIL_TCP_NAME_PEER : ANVIL_TCP_NAME_LOCAL);
    if (!anvil_tcp_name_unpack(v, a.addr, &port) || port == 0)
        return;   /* an error, or netd's answer is no name: keep what we know */
    a.port = (uint16_t)(port >> 8 | (port & 0xff) << 8);
    *out = a;
}

/* The next token from the listener: 0 and text (NUL-terminated), or -errno. */
static int token_read(struct socket *s, bool nonblock, char *text)
{
    struct inet_sock *in = s->priv;
    uint64_t deadline = socket_deadline(s->rcvtimeo);
    unsigned ev;
    long r;

    while ((r = in->conn->ops->kread(in->conn, text, TOKEN_TEXT, 0)) == -EAGAIN) {
        if (nonblock)
            return -EAGAIN;
        if ((r = inet_wait(in->conn, POLLIN, deadline, &ev)) < 0)
            return (int)r;
    }
    if (r == -ENODEV)
        return -ECONNABORTED;
    if (r < 0)
        return (int)r;
    if (r != TOKEN_TEXT || text[TOKEN_TEXT - 1] != '\n')
        return -EIO;   /* netd's answer is checked like any input */
    text[TOKEN_TEXT - 1] = 0;
    for (int i = 0; i < TOKEN_TEXT - 1; i++)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
            return -EIO;
    return 0;
}

static int inet_accept(struct socket *s, struct socket *ns, bool nonblock)
{
    struct inet_sock *in = s->priv, *nin;
    char token[TOKEN_TEXT], path[INET_PATH_MAX];
    int err;

    if (in->state != INET_LISTENING)
        return -EINVAL;
    if (!(nin = kzalloc(sizeof(*nin))))
        return -ENOMEM;
    if ((err = token_read(s, nonblock, token)) < 0)
        goto fail;
    ksnprintf(path, sizeof(path), "tcp:accept/%s", token);
    if ((err = inet_open(path, &nin->conn)) < 0) {
        err = err == -ENOENT ? -ECONNABORTED : err;   /* reset before we took it */
        goto fail;
    }
    nin->state = INET_CONNECTED;
    nin->nodelay = in->nodelay;   /* as Linux: an accepted socket inherits them */
    ns->keepalive = s->keepalive;
    options_send(ns, nin);
    nin->local = in->local;
    nin->peer.family = AF_INET;
    inet_name_ask(nin->conn, true, &nin->peer);
    inet_name_ask(nin->conn, false, &nin->local);
    ns->protocol = IPPROTO_TCP;
    ns->priv = nin;
    return 0;
fail:
    kfree(nin);
    return err;
}

static int inet_shutdown(struct socket *s, int how)
{
    struct inet_sock *in = s->priv;

    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return -EINVAL;
    if (in->state != INET_CONNECTED && in->state != INET_CONNECTING)
        return -ENOTCONN;
    in->rd_shut |= how != SHUT_WR;
    if (how != SHUT_RD && !in->wr_shut && in->state == INET_CONNECTED && in->conn->ops->fcntl) {
        long r = in->conn->ops->fcntl(in->conn, ANVIL_TCP_SHUTDOWN, 0);   /* the peer sees FIN */
        if (r < 0 && r != -ENOTCONN)
            return r == -ENODEV ? -ENOTCONN : (int)r;
    }
    in->wr_shut |= how != SHUT_RD;
    return 0;
}

static int inet_getname(struct socket *s, void *addr, bool peer)
{
    struct inet_sock *in = s->priv;

    if (peer && in->state != INET_CONNECTED && in->state != INET_CONNECTING)
        return -ENOTCONN;
    if (!peer && in->state == INET_CONNECTED && inet_port(&in->local) == 0)
        inet_name_ask(in->conn, false, &in->local);   /* the port netd chose */
    memcpy(addr, peer ? &in->peer : &in->local, sizeof(in->peer));
    return (int)sizeof(in->peer);
}

static int inet_setopt(struct socket *s, int level, int name, const void *val, unsigned len)
{
    struct inet_sock *in = s->priv;
    int v;

    if (level == IPPROTO_IP)
        return 0;   /* IP_TOS and the like: accepted, no effect */
    if (level == SOL_SOCKET) {   /* SO_KEEPALIVE, kept by socket.c: pass it on */
        option_send(in, ANVIL_TCP_KEEPALIVE, s->keepalive);
        return 0;
    }
    if (level != IPPROTO_TCP)
        return -EOPNOTSUPP;
    if (len < sizeof(v))
        return -EINVAL;
    memcpy(&v, val, sizeof(v));
    switch (name) {
    case TCP_NODELAY:
        in->nodelay = v != 0;
        option_send(in, ANVIL_TCP_NODELAY, in->nodelay);   /* a listener's: netd ignores it */
        return 0;
    case TCP_KEEPIDLE: case TCP_KEEPINTVL: case TCP_KEEPCNT: return v < 1 ? -EINVAL : 0;
    default: return -ENOPROTOOPT;
    }
}

/* SO_ERROR of a non-blocking connect: its result, if netd has it. */
static int inet_pending_error(struct socket *s)
{
    struct inet_sock *in = s->priv;
    int err;

    if (in->state != INET_CONNECTING)
        return 0;
    err = connect_finish(s, clock_monotonic_ns() + INET_GRACE_NS);
    return err == -EALREADY || err == -EINTR ? 0 : err;
}

static unsigned inet_poll(struct socket *s)
{
    struct inet_sock *in = s->priv;

    if (!in->conn)
        return POLLOUT | POLLHUP;   /* as Linux: an unconnected stream socket */
    return in->conn->ops->poll ? in->conn->ops->poll(in->conn) : 0;
}

static struct file *inet_poll_file(struct socket *s)
{
    struct inet_sock *in = s->priv;

    return in->conn;
}

static long inet_inq(struct socket *s)
{
    struct inet_sock *in = s->priv;
    struct kstat st;

    if (!in->conn || in->state == INET_LISTENING || !in->conn->ops->stat ||
        in->conn->ops->stat(in->conn, &st) < 0 || st.st_size < 0)
        return 0;
    return st.st_size > INT32_MAX ? INT32_MAX : (long)st.st_size;
}

static void inet_release(struct socket *s)
{
    struct inet_sock *in = s->priv;

    if (in->conn)
        file_put(in->conn);
    kfree(in);
    s->priv = NULL;
}

const struct sock_family inet_family = {
    .family = AF_INET,
    .create = inet_create,
    .bind = inet_bind,
    .connect = inet_connect,
    .listen = inet_listen,
    .accept = inet_accept,
    .send = inet_send,
    .recv = inet_recv,
    .shutdown = inet_shutdown,
    .getname = inet_getname,
    .setopt = inet_setopt,
    .pending_error = inet_pending_error,
    .poll = inet_poll,
    .poll_file = inet_poll_file,
    .inq = inet_inq,
    .release = inet_release,
};
