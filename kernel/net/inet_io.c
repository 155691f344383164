/* kernel/net/inet_io.c: AF_INET data: send and receive through the socket's
 * tcp: handle. The handle never blocks in netd; when it says EAGAIN the
 * kernel sends netd a POLL and sleeps until its answer, a signal or the
 * socket's timeout. */
#include "net/inet.h"
#include "ipc/uscheme.h"
#include "lib/errno.h"
#include "proc/signal.h"
#include "sched/sched.h"

int inet_wait(struct file *conn, unsigned events, uint64_t deadline, unsigned *revents)
{
    struct ipc_req *r = uscheme_poll_send(conn, events);
    int err = 0;

    if (!r) {   /* netd is gone (the handle says POLLERR), or no memory */
        *revents = conn->ops->poll ? conn->ops->poll(conn) : POLLERR;
        return (*revents & POLLERR) ? 0 : -ENOMEM;
    }
    while (!uscheme_poll_answered(r, revents))
        if ((err = sched_sleep(&file_poll_chan, deadline, true)) < 0)
            break;
    uscheme_poll_cancel(r);
    return err == -ETIMEDOUT ? -EAGAIN : err;
}

/* Step the message's cursor n bytes on (n fits the current buffer). */
static void cursor_advance(struct sock_msg *m, size_t n)
{
    m->iov_off += n;
    while (m->iov_i < m->iovlen && m->iov_off == m->iov[m->iov_i].len) {
        m->iov_i++;
        m->iov_off = 0;
    }
}

/* One read or write of the rest of the current buffer. */
static long move_once(struct file *conn, struct sock_msg *m, bool write, size_t *chunk)
{
    const struct sock_iov *v;

    cursor_advance(m, 0);   /* past empty buffers */
    if (m->iov_i >= m->iovlen)
        return 0;
    v = &m->iov[m->iov_i];
    *chunk = v->len - m->iov_off;
    return write ? conn->ops->write(conn, v->base + m->iov_off, *chunk)
                 : conn->ops->read(conn, v->base + m->iov_off, *chunk);
}

/* netd's error as the socket's: a dead netd is a reset connection. */
static long io_error(long r, bool write, const struct sock_msg *m)
{
    if (r == -ENODEV)
        r = write ? -EPIPE : -ECONNRESET;
    if (r == -EPIPE && !(m->flags & MSG_NOSIGNAL))
        signal_send_thread(sched_current(), SIGPIPE, NULL);
    return r;
}

static long send_on(struct socket *s, struct file *conn, struct sock_msg *m, bool nonblock)
{
    uint64_t deadline = socket_deadline(s->sndtimeo);
    size_t done = 0, chunk = 0;
    unsigned ev;
    long r;

    while (done < m->len) {
        r = move_once(conn, m, true, &chunk);
        if (r > 0) {
            cursor_advance(m, (size_t)r);
            done += (size_t)r;
            continue;
        }
        if (r < 0 && r != -EAGAIN)
            return done ? (long)done : io_error(r, true, m);
        if (nonblock)
            return done ? (long)done : -EAGAIN;
        if ((r = inet_wait(conn, POLLOUT, deadline, &ev)) < 0)
            return done ? (long)done : r;
    }
    return (long)done;
}

static long recv_on(struct socket *s, struct file *conn, struct sock_msg *m, bool nonblock)
{
    struct inet_sock *in = s->priv;
    uint64_t deadline = socket_deadline(s->rcvtimeo);
    bool waitall = m->flags & MSG_WAITALL;
    size_t done = 0, chunk = 0;
    unsigned ev;
    long r;

    while (done < m->len && !in->rd_shut) {
        r = move_once(conn, m, false, &chunk);
        if (r > 0) {
            cursor_advance(m, (size_t)r);
            done += (size_t)r;
            if ((size_t)r < chunk && !waitall)
                break;
            continue;
        }
        if (r == 0)
            break;   /* the peer's end */
        if (r != -EAGAIN)
            return done ? (long)done : io_error(r, false, m);
        if (done && !waitall)
            break;
        if (nonblock)
            return done ? (long)done : -EAGAIN;
        if ((r = inet_wait(conn, POLLIN, deadline, &ev)) < 0)
            return done ? (long)done : r;
    }
    return (long)done;
}

/* The socket's handle, held for a call that may sleep (a failed connect
 * drops it from the socket meanwhile), or NULL: not connected. */
static struct file *conn_hold(struct socket *s)
{
    struct inet_sock *in = s->priv;

    if (!in->conn || (in->state != INET_CONNECTED && in->state != INET_CONNECTING))
        return NULL;
    file_get(in->conn);
    return in->conn;
}

long inet_send(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct inet_sock *in = s->priv;
    struct file *conn;
    long r;

    if (m->flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (!(conn = conn_hold(s)))
        return -ENOTCONN;
    r = in->wr_shut ? io_error(-EPIPE, true, m) : send_on(s, conn, m, nonblock);
    file_put(conn);
    return r;
}

long inet_recv(struct socket *s, struct sock_msg *m, bool nonblock)
{
    struct file *conn;
    long r;

    if (m->flags & (MSG_OOB | MSG_PEEK))
        return -EOPNOTSUPP;
    if (!(conn = conn_hold(s)))
        return -ENOTCONN;
    r = recv_on(s, conn, m, nonblock);
    file_put(conn);
    return r;
}
