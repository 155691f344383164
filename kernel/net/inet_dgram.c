/* kernel/net/inet_dgram.c: AF_INET datagram sockets on netd's udp: scheme
 * and raw ICMP sockets on its icmp: scheme (docs/sockets.md). A socket
 * holds one bound handle (udp:bind/ADDR:PORT from bind, udp:bind/0 at the
 * first send or connect, icmp:raw), whose datagrams carry their peer in a
 * struct anvil_udp_head: sendto's address goes in front of the data,
 * recvfrom's comes off it. connect only remembers the peer; datagrams from
 * anyone else are dropped here. The kernel does the blocking, as for
 * streams (net/inet_io.c). */
#include <anvil/net.h>

#include "net/inet.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kmem.h"

#define HEAD sizeof(struct anvil_udp_head)
#define DATAGRAM_MAX 65507      /* IPv4's largest UDP payload */
#define RECV_MAX (HEAD + 65536) /* a read takes the whole datagram, to report its length */
#define PATH_MAX_ 40            /* "udp:bind/255.255.255.255:65535" */
#define EACCES_PING EACCES      /* Linux's answer to ping sockets outside ping_group_range */

struct inet_dgram {
    struct file *h;             /* the bound handle (a reference), or NULL before the first use */
    bool raw;                   /* icmp:raw, else udp: */
    bool connected, rd_shut, wr_shut;
    struct inet_addr local, peer;
    uint8_t *peeked;            /* a datagram MSG_PEEK read (head and data), or NULL */
    size_t peeked_len;
};

static int dgram_create(struct socket *s, int protocol)
{
    struct inet_dgram *d;

    if (s->type == SOCK_RAW && protocol != IPPROTO_ICMP)
        return -EPROTONOSUPPORT;   /* raw IP and raw TCP/UDP: not offered */
    if (s->type == SOCK_DGRAM && protocol == IPPROTO_ICMP)
        return -EACCES_PING;       /* programs then try a raw socket, as on Linux */
    if (s->type == SOCK_DGRAM && protocol != 0 && protocol != IPPROTO_UDP)
        return -EPROTONOSUPPORT;
    if (s->type != SOCK_DGRAM && s->type != SOCK_RAW)
        return -ESOCKTNOSUPPORT;
    if (!(d = kzalloc(sizeof(*d))))
        return -ENOMEM;
    d->raw = s->type == SOCK_RAW;
    d->local.family = d->peer.family = AF_INET;
    s->protocol = d->raw ? IPPROTO_ICMP : IPPROTO_UDP;
    s->priv = d;
    return 0;
}

/* The handle for local (port 0: netd picks one): 0 or -errno. */
static int handle_open(struct inet_dgram *d, const struct inet_addr *local)
{
    const uint8_t *b = local->addr;
    char path[PATH_MAX_];
    struct file *h;
    int err;

    if (d->raw)
        ksnprintf(path, sizeof(path), "icmp:raw");
    else if (b[0] | b[1] | b[2] | b[3])
        ksnprintf(path, sizeof(path), "udp:bind/%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3],
                  inet_port(local));
    else
        ksnprintf(path, sizeof(path), "udp:bind/%u", inet_port(local));
    if ((err = inet_open(path, &h)) < 0)
        return err;
    if (d->h) {   /* another thread's open won while this one waited for netd */
        file_put(h);
        return local->port ? -EINVAL : 0;
    }
    d->h = h;
    d->local = *local;
    if (!d->raw)
        inet_name_ask(d->h, false, &d->local);   /* the port netd picked */
    return 0;
}

/* The handle, opened on an ephemeral port if bind did not come first. */
static int handle_need(struct inet_dgram *d)
{
    struct inet_addr any = {.family = AF_INET};

    return d->h ? 0 : handle_open(d, &any);
}

static int dgram_bind(struct socket *s, const void *addr, unsigned len)
{
    struct inet_dgram *d = s->priv;
    struct inet_addr a;
    int err = inet_addr_parse(addr, len, &a);

    if (err)
        return err;
    if (d->h)
        return -EINVAL;
    return handle_open(d, &a);
}

static int dgram_connect(struct socket *s, const void *addr, unsigned len, bool nonblock)
{
    struct inet_dgram *d = s->priv;
    struct inet_addr a;
    int err;

    (void)nonblock;
    if (len >= sizeof(uint16_t) && *(const uint16_t *)addr == AF_UNSPEC) {
        d->connected = false;   /* dissolve the association */
        return 0;
    }
    if ((err = inet_addr_parse(addr, len, &a)) < 0 || (err = handle_need(d)) < 0)
        return err;
    d->peer = a;
    d->connected = true;
    return 0;
}

/* Where a send goes: sendto's address, else connect's. */
static int destination(struct inet_dgram *d, const struct sock_msg *m, struct inet_addr *to)
{
    if (m->addrlen)
        return inet_addr_parse(m->addr, m->addrlen, to);
    if (!d->connected)
        return -EDESTADDRREQ;
    *to = d->peer;
    return 0;
}

static long dgram_send(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct inet_dgram *d = s->priv;
    struct anvil_udp_head head = {0};
    struct inet_addr to;
    uint8_t *buf;
    long r;

    (void)nonblock;   /* netd never holds a datagram write */
    if (m->flags & MSG_OOB)
        return -EOPNOTSUPP;
    if ((r = destination(d, m, &to)) < 0)
        return r;
    if (d->wr_shut)
        return -EPIPE;
    if (m->len > DATAGRAM_MAX)
        return -EMSGSIZE;
    if (!d->raw && inet_port(&to) == 0)
        return -EINVAL;
    if ((r = handle_need(d)) < 0)
        return r;
    if (!d->h->ops->kwrite || !(buf = kmalloc(HEAD + m->len)))
        return -ENOMEM;
    memcpy(head.addr, to.addr, 4);
    head.port = d->raw ? 0 : (uint16_t)inet_port(&to);
    memcpy(buf, &head, HEAD);
    r = sock_msg_copy_in(m, buf + HEAD, m->len);
    if (r == 0)
        r = d->h->ops->kwrite(d->h, buf, HEAD + m->len, 0);
    kfree(buf);
    if (r == -ENODEV)
        return -ENETDOWN;   /* netd died: this handle is gone for good */
    return r < 0 ? r : (long)m->len;
}

/* The next datagram (head and data) into buf: its length or -errno. */
static long datagram_get(struct socket *s, uint8_t *buf, bool nonblock)
{
    struct inet_dgram *d = s->priv;
    uint64_t deadline = socket_deadline(s->rcvtimeo);
    unsigned ev;
    long r;

    if (d->peeked) {
        memcpy(buf, d->peeked, d->peeked_len);
        kfree(d->peeked);
        d->peeked = NULL;
        return (long)d->peeked_len;
    }
    while ((r = d->h->ops->kread(d->h, buf, RECV_MAX, 0)) == -EAGAIN) {
        if (nonblock)
            return -EAGAIN;
        if ((r = inet_wait(d->h, POLLIN, deadline, &ev)) < 0)
            return r;
    }
    if (r == -ENODEV)
        return -ENETDOWN;
    if (r >= 0 && (size_t)r < HEAD)
        return -EIO;   /* netd's answer is checked like any input */
    return r;
}

static bool from_peer(const struct inet_dgram *d, const struct anvil_udp_head *h)
{
    return !d->connected ||
           (!memcmp(h->addr, d->peer.addr, 4) && (d->raw || h->port == inet_port(&d->peer)));
}

/* Give the datagram at buf (n bytes with its head) to the caller's message. */
static long deliver(struct inet_dgram *d, struct sock_msg *m, const uint8_t *buf, size_t n)
{
    struct anvil_udp_head h;
    struct inet_addr from = {.family = AF_INET};
    size_t data = n - HEAD, take = data < m->len ? data : m->len;

    memcpy(&h, buf, HEAD);
    memcpy(from.addr, h.addr, 4);
    from.port = (uint16_t)(h.port >> 8 | (h.port & 0xff) << 8);
    memcpy(m->addr, &from, sizeof(from));
    m->addrlen = sizeof(from);
    if (sock_msg_copy_out(m, buf + HEAD, take) < 0)
        return -EFAULT;
    if (take < data)
        m->out_flags |= MSG_TRUNC;
    if ((m->flags & MSG_PEEK) && (d->peeked = kmalloc(n))) {
        memcpy(d->peeked, buf, n);
        d->peeked_len = n;
    }
    return (long)((m->flags & MSG_TRUNC) ? data : take);
}

static long dgram_recv(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct inet_dgram *d = s->priv;
    uint8_t *buf;
    long r;

    if (m->flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (d->rd_shut)
        return 0;
    if ((r = handle_need(d)) < 0)
        return r;
    if (!(buf = kmalloc(RECV_MAX)))
        return -ENOMEM;
    do
        r = datagram_get(s, buf, nonblock);
    while (r >= 0 && !from_peer(d, (const struct anvil_udp_head *)buf));
    if (r >= 0)
        r = deliver(d, m, buf, (size_t)r);
    kfree(buf);
    return r;
}

static int dgram_shutdown(struct socket *s, int how)
{
    struct inet_dgram *d = s->priv;

    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return -EINVAL;
    if (!d->connected)
        return -ENOTCONN;
    d->rd_shut |= how != SHUT_WR;
    d->wr_shut |= how != SHUT_RD;
    return 0;
}

static int dgram_getname(struct socket *s, void *addr, bool peer)
{
    struct inet_dgram *d = s->priv;

    if (peer && !d->connected)
        return -ENOTCONN;
    memcpy(addr, peer ? &d->peer : &d->local, sizeof(d->peer));
    return (int)sizeof(d->peer);
}

static int dgram_setopt(struct socket *s, int level, int name, const void *val, unsigned len)
{
    (void)s;
    (void)name;
    (void)val;
    (void)len;
    /* IP_TTL, IP_TOS, ICMP_FILTER and the like: accepted, without effect */
    return level == IPPROTO_IP || level == IPPROTO_ICMP || level == IPPROTO_UDP ? 0 : -ENOPROTOOPT;
}

static unsigned dgram_poll(struct socket *s)
{
    struct inet_dgram *d = s->priv;

    if (d->peeked)
        return POLLIN | POLLOUT;
    if (!d->h)
        return POLLOUT;
    return d->h->ops->poll ? d->h->ops->poll(d->h) : 0;
}

/* Ask netd about readiness, unless a peeked datagram is already here. */
static struct file *dgram_poll_file(struct socket *s)
{
    struct inet_dgram *d = s->priv;

    return d->peeked ? NULL : d->h;
}

static long dgram_inq(struct socket *s)
{
    struct inet_dgram *d = s->priv;
    struct kstat st;

    if (d->peeked)
        return (long)(d->peeked_len - HEAD);
    if (!d->h || !d->h->ops->stat || d->h->ops->stat(d->h, &st) < 0 || st.st_size < (int64_t)HEAD)
        return 0;
    return (long)(st.st_size - (int64_t)HEAD);
}

static void dgram_release(struct socket *s)
{
    struct inet_dgram *d = s->priv;

    if (d->h)
        file_put(d->h);
    kfree(d->peeked);
    kfree(d);
    s->priv = NULL;
}

const struct sock_family inet_dgram_family = {
    .family = AF_INET,
    .create = dgram_create,
    .bind = dgram_bind,
    .connect = dgram_connect,
    .send = dgram_send,
    .recv = dgram_recv,
    .shutdown = dgram_shutdown,
    .getname = dgram_getname,
    .setopt = dgram_setopt,
    .poll = dgram_poll,
    .poll_file = dgram_poll_file,
    .inq = dgram_inq,
    .release = dgram_release,
};
