/* kernel/net/unix.c: AF_UNIX sockets: stream, datagram and seqpacket;
 * socketpair, bind, listen, connect, accept, shutdown, names, poll. Moving
 * data and fds is net/unix_msg.c, names net/unix_name.c. A connection is made
 * at connect time, as Linux does: the listener queues an "embryo" socket
 * already connected to the caller, and accept hands it a file. */
#include "net/unix.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "proc/proc.h"
#include "sched/sched.h"

#define PF_UNIX 1
#define BACKLOG_MAX 128
/* Sockets in the system: at most this many (at least UNIX_SOCKS_MIN), each
 * one's queue bounded by its buffer, so that a program making sockets meets
 * ENFILE and not the out-of-memory killer. */
#define UNIX_SOCKS_MIN 256
#define UNIX_SOCKS_RAM_SHARE 4

static struct unix_sock *all_socks;   /* every unix socket; single CPU, no lock */
static size_t sock_count;

struct unix_sock *unix_all(void)
{
    return all_socks;
}

static size_t socks_max(void)
{
    size_t n = pmm_total_count() * PMM_PAGE_SIZE / UNIX_SOCKS_RAM_SHARE / SOCK_BUF_DEFAULT;

    return n < UNIX_SOCKS_MIN ? UNIX_SOCKS_MIN : n;
}

size_t unix_rcvbuf(const struct unix_sock *u)
{
    return u->sock ? u->sock->rcvbuf : SOCK_BUF_DEFAULT;
}

void unix_wake(struct unix_sock *u)
{
    sched_wakeup(u);
    file_poll_notify();
}

static struct sock_cred current_cred(void)
{
    return (struct sock_cred){.pid = proc_current()->pid, .uid = 0, .gid = 0};
}

static struct unix_sock *unix_new(int type)
{
    struct unix_sock *u;

    if (sock_count >= socks_max() || !(u = kzalloc(sizeof(*u))))
        return NULL;
    u->type = type;
    u->cred = current_cred();
    u->peer_cred = (struct sock_cred){.pid = 0, .uid = 65534, .gid = 65534};
    u->all_next = all_socks;
    all_socks = u;
    sock_count++;
    return u;
}

static void unlink_all(struct unix_sock *u)
{
    for (struct unix_sock **pp = &all_socks; *pp; pp = &(*pp)->all_next) {
        if (*pp == u) {
            *pp = u->all_next;
            sock_count--;
            return;
        }
    }
}

void unix_destroy(struct unix_sock *u)
{
    struct unix_sock *e;

    unlink_all(u);   /* first: nobody finds it by name or as a peer from here on */
    while ((e = u->acc_head)) {
        u->acc_head = e->acc_next;
        unix_destroy(e);
    }
    for (struct unix_sock *o = all_socks; o; o = o->all_next) {
        if (o->peer != u)
            continue;
        o->peer = NULL;
        o->peer_gone = true;
        if (o->type != SOCK_DGRAM)
            o->rcv_shut = o->snd_shut = true;
        unix_wake(o);
    }
    unix_queue_flush(u);   /* may release other sockets: u is already out of every list */
    unix_wake(u);
    kfree(u);
}

static int unix_create(struct socket *s, int protocol)
{
    struct unix_sock *u;

    if (protocol != 0 && protocol != PF_UNIX)
        return -EPROTONOSUPPORT;
    if (!(u = unix_new(s->type)))
        return sock_count >= socks_max() ? -ENFILE : -ENOMEM;
    u->sock = s;
    s->priv = u;
    return 0;
}

static void connect_pair(struct unix_sock *a, struct unix_sock *b)
{
    a->peer = b;
    b->peer = a;
    a->state = b->state = UNIX_CONNECTED;
    a->peer_cred = b->cred;
    b->peer_cred = a->cred;
}

static int unix_pair(struct socket *a, struct socket *b)
{
    connect_pair(a->priv, b->priv);
    return 0;
}

static int unix_bind(struct socket *s, const void *addr, unsigned len)
{
    struct unix_sock *u = s->priv;
    struct unix_name n;
    int err;

    if (u->name.addrlen)
        return -EINVAL;
    if (len == 2 && ((const uint8_t *)addr)[0] == AF_UNIX && ((const uint8_t *)addr)[1] == 0)
        err = unix_name_auto(&n);
    else
        err = unix_name_parse(addr, len, &n);
    if (err)
        return err;
    if (unix_name_exists(&n))   /* may wait for the file system's stat */
        return -EADDRINUSE;
    if (u->name.addrlen)
        return -EINVAL;         /* another thread bound it meanwhile */
    if (unix_name_find(&n))
        return -EADDRINUSE;
    u->name = n;
    return 0;
}

static int unix_listen(struct socket *s, int backlog)
{
    struct unix_sock *u = s->priv;

    if (u->type == SOCK_DGRAM)
        return -EOPNOTSUPP;
    if (u->state == UNIX_CONNECTED || !u->name.addrlen)
        return -EINVAL;
    u->backlog = backlog < 0 ? 0 : backlog > BACKLOG_MAX ? BACKLOG_MAX : (unsigned)backlog;
    u->state = UNIX_LISTENING;
    s->listening = true;
    unix_wake(u);   /* connectors waiting for a bigger backlog */
    return 0;
}

static int dgram_connect(struct unix_sock *u, const void *addr, unsigned len)
{
    struct unix_sock *t;
    uint16_t family;
    int err;

    memcpy(&family, addr, sizeof(family));
    if (len >= 2 && family == AF_UNSPEC) {
        u->peer = NULL;   /* dissolve the association */
        u->peer_gone = false;
        u->state = UNIX_UNCONNECTED;
        return 0;
    }
    if ((err = unix_name_target(addr, len, u->type, &t)) < 0)
        return err;
    u->peer = t;
    u->peer_gone = false;
    u->state = UNIX_CONNECTED;
    u->peer_cred = t->cred;
    return 0;
}

/* One try at a stream or seqpacket connection: 0, -EAGAIN (backlog full:
 * wait on *wait and retry), or -errno. */
static int stream_connect_once(struct unix_sock *u, const void *addr, unsigned len, struct unix_sock **wait)
{
    struct unix_sock *t, *e;
    int err = unix_name_target(addr, len, u->type, &t);

    if (err)
        return err;
    if (t->state != UNIX_LISTENING)
        return -ECONNREFUSED;
    if (t->nacc > t->backlog) {
        *wait = t;
        return -EAGAIN;
    }
    if (!(e = unix_new(u->type)))
        return -ENOBUFS;
    e->listener = t;
    e->cred = t->cred;
    e->name = t->name;     /* an accepted socket shows its listener's name */
    e->name.keylen = 0;    /* but does not hold it */
    connect_pair(u, e);
    if (t->acc_tail)
        t->acc_tail->acc_next = e;
    else
        t->acc_head = e;
    t->acc_tail = e;
    t->nacc++;
    unix_wake(t);
    return 0;
}

static int unix_connect(struct socket *s, const void *addr, unsigned len, bool nonblock)
{
    struct unix_sock *u = s->priv, *wait = NULL;
    uint64_t deadline = socket_deadline(s->sndtimeo);
    int err;

    if (u->type == SOCK_DGRAM)
        return dgram_connect(u, addr, len);
    if (u->state == UNIX_CONNECTED || u->peer_gone)
        return -EISCONN;
    if (u->state == UNIX_LISTENING)
        return -EINVAL;
    while ((err = stream_connect_once(u, addr, len, &wait)) == -EAGAIN && !nonblock) {
        int e = sched_sleep(wait, deadline, true);
        if (e == -ETIMEDOUT)
            return -EAGAIN;
        if (e)
            return e;
    }
    return err;
}

static int unix_accept(struct socket *s, struct socket *ns, bool nonblock)
{
    struct unix_sock *u = s->priv, *e;
    uint64_t deadline = socket_deadline(s->rcvtimeo);

    if (u->state != UNIX_LISTENING)
        return -EINVAL;
    while (!u->acc_head) {
        if (nonblock)
            return -EAGAIN;
        int err = sched_sleep(u, deadline, true);
        if (err)
            return err == -ETIMEDOUT ? -EAGAIN : err;
        if (u->state != UNIX_LISTENING)
            return -EINVAL;
    }
    e = u->acc_head;
    if (!(u->acc_head = e->acc_next))
        u->acc_tail = NULL;
    u->nacc--;
    e->acc_next = NULL;
    e->listener = NULL;
    e->sock = ns;
    ns->priv = e;
    ns->rcvbuf = s->rcvbuf;
    ns->sndbuf = s->sndbuf;
    unix_wake(u);   /* room in the backlog */
    return 0;
}

static int unix_shutdown(struct socket *s, int how)
{
    struct unix_sock *u = s->priv, *p = u->peer;

    if (how < SHUT_RD || how > SHUT_RDWR)
        return -EINVAL;
    if (u->type != SOCK_DGRAM && u->state != UNIX_CONNECTED)
        return -ENOTCONN;
    if (how != SHUT_WR) {
        u->rcv_shut = true;
        if (p && u->type != SOCK_DGRAM)
            p->snd_shut = true;
    }
    if (how != SHUT_RD) {
        u->snd_shut = true;
        if (p && u->type != SOCK_DGRAM)
            p->rcv_shut = true;
    }
    unix_wake(u);
    if (p)
        unix_wake(p);
    return 0;
}

static int unix_getname(struct socket *s, void *addr, bool peer)
{
    struct unix_sock *u = s->priv, *from = peer ? u->peer : u;
    uint16_t family = AF_UNIX;

    if (peer && (!from || u->state != UNIX_CONNECTED))
        return -ENOTCONN;
    if (!from->name.addrlen) {
        memcpy(addr, &family, sizeof(family));
        return sizeof(family);
    }
    memcpy(addr, from->name.addr, from->name.addrlen);
    return (int)from->name.addrlen;
}

static int unix_peercred(struct socket *s, struct sock_cred *c)
{
    struct unix_sock *u = s->priv;

    if (u->type != SOCK_DGRAM && u->state != UNIX_CONNECTED)
        return -ENOTCONN;
    *c = u->peer_cred;
    return 0;
}

/* Room for another message in t's queue. */
static bool has_room(const struct unix_sock *t)
{
    return t->rq_bytes < unix_rcvbuf(t);
}

static unsigned unix_poll(struct socket *s)
{
    struct unix_sock *u = s->priv;
    unsigned r = 0;

    if (u->state == UNIX_LISTENING)
        return u->acc_head ? POLLIN : 0;
    if (u->rq_head || u->rcv_shut)
        r |= POLLIN;
    if (u->type == SOCK_DGRAM) {
        if (!u->peer || has_room(u->peer))
            r |= POLLOUT;
        return r;
    }
    if (u->state != UNIX_CONNECTED || (u->rcv_shut && u->snd_shut))
        r |= POLLHUP;
    if (u->peer_gone && u->state == UNIX_CONNECTED)
        r |= POLLIN | POLLHUP;
    if (u->state == UNIX_CONNECTED && u->peer && !u->snd_shut && has_room(u->peer))
        r |= POLLOUT;
    return r;
}

static void unix_release(struct socket *s)
{
    unix_destroy(s->priv);
}

const struct sock_family unix_family = {
    .family = AF_UNIX,
    .create = unix_create,
    .pair = unix_pair,
    .bind = unix_bind,
    .connect = unix_connect,
    .listen = unix_listen,
    .accept = unix_accept,
    .send = unix_send,
    .recv = unix_recv,
    .shutdown = unix_shutdown,
    .getname = unix_getname,
    .peercred = unix_peercred,
    .poll = unix_poll,
    .inq = unix_inq,
    .release = unix_release,
};
