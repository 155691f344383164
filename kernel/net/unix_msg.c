/* kernel/net/unix_msg.c: moving data and fds between AF_UNIX sockets. A send
 * puts messages into the receiver's queue, bounded by the receiver's buffer
 * (counting each message's room and header, so tiny writes cannot hoard
 * memory); senders sleep on the receiver, receivers on themselves.
 *
 * Fds in flight (SCM_RIGHTS) are file references held by queued messages.
 * A unix socket whose file is in flight inside its own queue, or in a cycle
 * of queues, would never be closed; Linux runs a garbage collector for that.
 * Anvil keeps one rule instead, so such cycles cannot form: a socket in
 * flight never has fds queued for it. Passing a unix socket whose queue (or
 * whose listener's pending connections) holds fds, passing one into its own
 * queue, and passing fds to a socket that is in flight are ETOOMANYREFS, as
 * is passing more than UNIX_INFLIGHT_MAX fds in the whole system. */
#include "net/unix.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define UNIX_INFLIGHT_MAX 4096
/* Stream bytes go in pieces of at most one frame with their header, and
 * at least this much room, so that small writes can share one. */
#define STREAM_PIECE_MAX (PMM_PAGE_SIZE - sizeof(struct unix_skb))
#define STREAM_PIECE_MIN 512
/* Datagrams: Linux's per-message overhead for EMSGSIZE (len > sndbuf - 32). */
#define DGRAM_OVERHEAD 32
#define DGRAM_QLEN_MAX 512

/* All queues together hold at most 1/QUEUED_RAM_SHARE of RAM, whatever
 * SO_RCVBUF says, so many sockets with big buffers cannot take the kernel's
 * memory: past it a send says ENOBUFS. */
#define QUEUED_RAM_SHARE 8

static unsigned inflight_total;   /* fds in all queues; single CPU, no lock */
static size_t queued_total;       /* bytes all queues count against their buffers */

/* Room for another need bytes in the system's queues. */
static bool queued_room(size_t need)
{
    return queued_total + need <= pmm_total_count() * PMM_PAGE_SIZE / QUEUED_RAM_SHARE;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static size_t skb_truesize(const struct unix_skb *b)
{
    return sizeof(*b) + b->cap;
}

/* The unix socket behind f, or NULL. */
static struct unix_sock *unix_of(struct file *f)
{
    struct socket *s = socket_of(f);

    return s && s->fam == &unix_family ? s->priv : NULL;
}

static bool holds_fds(const struct unix_sock *u)
{
    if (u->rq_fds)
        return true;
    for (const struct unix_sock *e = u->acc_head; e; e = e->acc_next)
        if (e->rq_fds)
            return true;
    return false;
}

/* May the fds of m go into t's queue (see the top of this file)? */
static int rights_check(const struct unix_sock *t, const struct sock_msg *m)
{
    if (!m->nfiles)
        return 0;
    if (inflight_total + m->nfiles > UNIX_INFLIGHT_MAX)
        return -ETOOMANYREFS;
    if (t->inflight || (t->listener && t->listener->inflight))
        return -ETOOMANYREFS;
    for (unsigned i = 0; i < m->nfiles; i++) {
        struct unix_sock *x = unix_of(m->files[i]);
        if (x && (x == t || x == t->listener || holds_fds(x)))
            return -ETOOMANYREFS;
    }
    return 0;
}

/* Move m's fds (its references) into b, counting them in flight for t. */
static void rights_attach(struct unix_sock *t, struct unix_skb *b, struct sock_msg *m)
{
    b->files = m->files;
    b->nfiles = m->nfiles;
    m->files = NULL;
    m->nfiles = 0;
    for (unsigned i = 0; i < b->nfiles; i++) {
        struct unix_sock *x = unix_of(b->files[i]);
        if (x)
            x->inflight++;
    }
    inflight_total += b->nfiles;
    t->rq_fds += b->nfiles;
}

/* Take b's fds out of t's accounting; keep: hand the references on (to *out). */
static void rights_detach(struct unix_sock *t, struct unix_skb *b)
{
    for (unsigned i = 0; i < b->nfiles; i++) {
        struct unix_sock *x = unix_of(b->files[i]);
        if (x)
            x->inflight--;
    }
    inflight_total -= b->nfiles;
    t->rq_fds -= b->nfiles;
}

static void files_put(struct file **files, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        file_put(files[i]);
    kfree(files);
}

static struct unix_skb *skb_new(size_t cap)
{
    struct unix_skb *b = kzalloc(sizeof(*b) + cap);

    if (b)
        b->cap = cap;
    return b;
}

static void enqueue(struct unix_sock *t, struct unix_skb *b)
{
    if (t->rq_tail)
        t->rq_tail->next = b;
    else
        t->rq_head = b;
    t->rq_tail = b;
    t->rq_bytes += skb_truesize(b);
    queued_total += skb_truesize(b);
    t->rq_count++;
}

/* Unlink the head of t's queue; its fds (if any) are the caller's to free or deliver. */
static struct unix_skb *dequeue(struct unix_sock *t)
{
    struct unix_skb *b = t->rq_head;

    if (!(t->rq_head = b->next))
        t->rq_tail = NULL;
    t->rq_bytes -= skb_truesize(b);
    queued_total -= skb_truesize(b);
    t->rq_count--;
    return b;
}

void unix_queue_flush(struct unix_sock *u)
{
    struct unix_skb *b = u->rq_head;

    u->rq_head = u->rq_tail = NULL;
    queued_total -= u->rq_bytes;
    u->rq_bytes = 0;
    u->rq_count = 0;
    while (b) {
        struct unix_skb *next = b->next;
        struct file **files = b->files;
        unsigned n = b->nfiles;
        rights_detach(u, b);
        kfree(b);
        files_put(files, n);   /* may release sockets in flight: their queues hold no fds */
        b = next;
    }
}

long unix_inq(struct socket *s)
{
    struct unix_sock *u = s->priv;
    size_t n = 0;

    if (u->type != SOCK_STREAM)
        return u->rq_head ? (long)u->rq_head->len : 0;
    for (struct unix_skb *b = u->rq_head; b; b = b->next)
        n += b->len - b->off;
    return (long)n;
}

static long epipe(const struct sock_msg *m)
{
    if (!(m->flags & MSG_NOSIGNAL))
        signal_send_thread(sched_current(), SIGPIPE, NULL);
    return -EPIPE;
}

/* Sleep on chan for a send or receive: 0, or -EAGAIN (timed out), -EINTR. */
static int wait_on(const void *chan, uint64_t deadline)
{
    int err = sched_sleep(chan, deadline, true);

    return err == -ETIMEDOUT ? -EAGAIN : err;
}

/* The receiver of a datagram: 0 and *out, or -errno. */
static int dgram_target(struct unix_sock *u, const struct sock_msg *m, struct unix_sock **out)
{
    int err;

    if (m->addrlen) {
        if ((err = unix_name_target(m->addr, m->addrlen, u->type, out)) < 0)
            return err;
    } else if (!(*out = u->peer)) {
        return u->peer_gone ? -ECONNREFUSED : -ENOTCONN;
    }
    if ((*out)->peer && (*out)->peer != u)
        return -EPERM;   /* it is connected to someone else */
    return 0;
}

/* A whole message (datagram or seqpacket record) into one queue entry. */
static long send_record(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct unix_sock *u = s->priv, *t;
    uint64_t deadline = socket_deadline(s->sndtimeo);
    struct unix_skb *b;
    int err;

    if (m->len + DGRAM_OVERHEAD > s->sndbuf)
        return -EMSGSIZE;
    for (;;) {
        if (u->snd_shut)
            return epipe(m);
        if (u->type == SOCK_DGRAM)
            err = dgram_target(u, m, &t);
        else
            err = (t = u->peer) ? 0 : (u->state == UNIX_CONNECTED || u->peer_gone) ? -EPIPE : -ENOTCONN;
        if (err == -EPIPE)
            return epipe(m);
        if (err)
            return err;
        if (t->rcv_shut && u->type != SOCK_DGRAM)
            return epipe(m);
        if ((err = rights_check(t, m)) < 0)
            return err;
        if (t->rq_count < DGRAM_QLEN_MAX && t->rq_bytes + sizeof(*b) + m->len <= unix_rcvbuf(t))
            break;
        if (t->rq_count == 0)
            break;   /* one message always fits an empty queue (its buffer may have shrunk) */
        if (nonblock)
            return -EAGAIN;
        if ((err = wait_on(t, deadline)) < 0)
            return err;
    }
    if (!queued_room(sizeof(*b) + m->len) || !(b = skb_new(m->len)))
        return -ENOBUFS;
    if (sock_msg_copy_in(m, b->data, m->len) < 0) {
        kfree(b);
        return -EFAULT;
    }
    b->len = m->len;
    b->cred = m->has_cred ? m->cred : (struct sock_cred){.pid = proc_current()->pid};
    memcpy(b->addr, u->name.addr, u->name.addrlen);
    b->addrlen = u->name.addrlen;
    rights_attach(t, b, m);
    enqueue(t, b);
    unix_wake(t);
    return (long)m->len;
}

/* Stream bytes: as many pieces as the receiver has room for, then wait. */
static long send_stream(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct unix_sock *u = s->priv, *t;
    uint64_t deadline = socket_deadline(s->sndtimeo);
    size_t done = 0;
    int err;

    if (u->state != UNIX_CONNECTED)
        return u->peer_gone ? epipe(m) : -ENOTCONN;
    while (done < m->len) {
        if (u->snd_shut || !(t = u->peer) || t->rcv_shut)
            return done ? (long)done : epipe(m);
        if ((err = rights_check(t, m)) < 0)
            return done ? (long)done : err;
        size_t room = unix_rcvbuf(t) > t->rq_bytes ? unix_rcvbuf(t) - t->rq_bytes : 0;
        struct unix_skb *tail = t->rq_tail;
        size_t n;
        if (!m->nfiles && tail && !tail->nfiles && tail->len < tail->cap) {
            n = min_size(m->len - done, tail->cap - tail->len);   /* fill the last piece */
            if (sock_msg_copy_in(m, tail->data + tail->len, n) < 0)
                return done ? (long)done : -EFAULT;
            tail->len += n;
            done += n;
            unix_wake(t);
            continue;
        }
        if (room < sizeof(struct unix_skb) + STREAM_PIECE_MIN) {
            if (nonblock)
                return done ? (long)done : -EAGAIN;
            if ((err = wait_on(t, deadline)) < 0)
                return done ? (long)done : err;
            continue;
        }
        n = min_size(m->len - done, min_size(STREAM_PIECE_MAX, room - sizeof(struct unix_skb)));
        size_t cap = n < STREAM_PIECE_MIN ? STREAM_PIECE_MIN : n;
        struct unix_skb *b = queued_room(sizeof(*b) + cap) ? skb_new(cap) : NULL;
        if (!b)
            return done ? (long)done : -ENOBUFS;
        if (sock_msg_copy_in(m, b->data, n) < 0) {
            kfree(b);
            return done ? (long)done : -EFAULT;
        }
        b->len = n;
        b->cred = (struct sock_cred){.pid = proc_current()->pid};
        rights_attach(t, b, m);
        enqueue(t, b);
        done += n;
        unix_wake(t);
    }
    return (long)done;
}

long unix_send(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct unix_sock *u = s->priv;

    if (m->flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (u->type != SOCK_DGRAM && m->addrlen)
        return u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
    if (u->type == SOCK_STREAM)
        return send_stream(s, m, nonblock);
    return send_record(s, m, nonblock);
}

/* Give b's fds to m (the caller installs them); those past its room are closed. */
static void deliver_rights(struct unix_sock *u, struct unix_skb *b, struct sock_msg *m, bool peek)
{
    unsigned n = b->nfiles;

    if (!n)
        return;
    for (unsigned i = 0; i < n; i++) {
        if (m->nfiles < m->files_max) {
            if (peek)
                file_get(b->files[i]);
            m->files[m->nfiles++] = b->files[i];
        } else {
            m->out_flags |= MSG_CTRUNC;
            if (!peek)
                file_put(b->files[i]);
        }
    }
    if (peek)
        return;
    rights_detach(u, b);
    kfree(b->files);
    b->files = NULL;
    b->nfiles = 0;
}

static void sender_info(const struct unix_skb *b, struct sock_msg *m)
{
    memcpy(m->addr, b->addr, b->addrlen);
    m->addrlen = b->addrlen;
    if (!m->addrlen) {
        uint16_t family = AF_UNIX;
        memcpy(m->addr, &family, sizeof(family));
        m->addrlen = sizeof(family);
    }
    m->cred = b->cred;
}

/* Wait for something in u's queue: 0, 1 at the end of the stream, or -errno. */
static int wait_data(struct socket *s, bool nonblock, uint64_t deadline)
{
    struct unix_sock *u = s->priv;

    while (!u->rq_head) {
        if (u->rcv_shut)
            return 1;
        if (u->type != SOCK_DGRAM && u->state != UNIX_CONNECTED)
            return u->state == UNIX_LISTENING ? -EINVAL : -ENOTCONN;
        if (nonblock)
            return -EAGAIN;
        int err = wait_on(u, deadline);
        if (err)
            return err;
    }
    return 0;
}

static long recv_record(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct unix_sock *u = s->priv;
    bool peek = m->flags & MSG_PEEK;
    struct unix_skb *b;
    int err = wait_data(s, nonblock, socket_deadline(s->rcvtimeo));
    size_t n, len;

    if (err)
        return err > 0 ? 0 : err;
    b = u->rq_head;
    len = b->len;
    n = min_size(len, m->len);
    if (sock_msg_copy_out(m, b->data, n) < 0)
        return -EFAULT;   /* the message stays queued */
    if (n < len)
        m->out_flags |= MSG_TRUNC;
    sender_info(b, m);
    deliver_rights(u, b, m, peek);
    if (!peek) {
        dequeue(u);
        kfree(b);
        unix_wake(u);
    }
    return (long)((m->flags & MSG_TRUNC) ? len : n);   /* MSG_TRUNC asked: the real length */
}

static long recv_stream(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct unix_sock *u = s->priv;
    bool peek = m->flags & MSG_PEEK, waitall = (m->flags & MSG_WAITALL) && !peek;
    uint64_t deadline = socket_deadline(s->rcvtimeo);
    size_t done = 0;

    for (;;) {
        int err = wait_data(s, nonblock || (done && !waitall), deadline);
        if (err)
            return done ? (long)done : err > 0 ? 0 : err;
        struct unix_skb *b = u->rq_head;
        bool boundary = false;
        while (b && done < m->len && !boundary) {
            if (b->nfiles && done)
                break;   /* fds mark a boundary: they come with their first byte */
            size_t n = min_size(b->len - b->off, m->len - done);
            bool had_fds = b->nfiles;
            if (sock_msg_copy_out(m, b->data + b->off, n) < 0)
                return done ? (long)done : -EFAULT;
            if (!done)
                m->cred = b->cred;   /* SCM_CREDENTIALS: the first byte's sender */
            done += n;
            deliver_rights(u, b, m, peek);
            if (peek) {
                b = b->next;
            } else {
                if ((b->off += n) == b->len) {
                    dequeue(u);
                    kfree(b);
                }
                b = u->rq_head;
            }
            boundary = had_fds;
        }
        if (!peek)
            unix_wake(u);
        if (done == m->len || peek || !waitall || boundary || (b && b->nfiles))
            return (long)done;
    }
}

long unix_recv(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct unix_sock *u = s->priv;

    if (m->flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (u->type == SOCK_STREAM)
        return recv_stream(s, m, nonblock);
    return recv_record(s, m, nonblock);
}
