/* kernel/net/socket.c: the socket file type. read, write, poll, fstat and
 * ioctl of a socket fd go to its family's ops; SOL_SOCKET options every
 * family shares are kept here. */
#include "net/socket.h"
#include "net/ifinfo.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "sched/clock.h"

#define FIONREAD 0x541b
#define FIONBIO 0x5421
#define SIOCINQ FIONREAD
#define SIOCOUTQ 0x5411

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Move n bytes at the cursor; to_user: from src to the buffers. */
static int msg_copy(struct sock_msg *m, void *kbuf, size_t n, bool to_user)
{
    uint8_t *k = kbuf;

    while (n > 0) {
        if (m->iov_i >= m->iovlen)
            return -EFAULT;   /* the caller asked past the sum: a kernel bug, not the user's */
        const struct sock_iov *v = &m->iov[m->iov_i];
        size_t chunk = min_size(n, v->len - m->iov_off);
        int err = to_user ? copy_to_user(v->base + m->iov_off, k, chunk)
                          : copy_from_user(k, v->base + m->iov_off, chunk);
        if (err)
            return -EFAULT;
        k += chunk;
        n -= chunk;
        m->iov_off += chunk;
        if (m->iov_off == v->len) {
            m->iov_i++;
            m->iov_off = 0;
        }
    }
    return 0;
}

int sock_msg_copy_in(struct sock_msg *m, void *dst, size_t n)
{
    return msg_copy(m, dst, n, false);
}

int sock_msg_copy_out(struct sock_msg *m, const void *src, size_t n)
{
    return msg_copy(m, (void *)src, n, true);
}

uint64_t socket_deadline(uint64_t timeout_ns)
{
    return timeout_ns ? clock_monotonic_ns() + timeout_ns : 0;
}

/* read(2) and write(2): recv and send with no flags, one buffer. */
static long sock_rw(struct file *f, uintptr_t ubuf, size_t len, bool write)
{
    struct socket *s = f->priv;
    struct sock_iov v = {ubuf, len};
    struct sock_msg *m = kzalloc(sizeof(*m));
    long r;

    if (!m)
        return -ENOMEM;
    m->iov = &v;
    m->iovlen = 1;
    m->len = len;
    if (write)
        r = s->fam->send ? s->fam->send(s, m, f->flags & O_NONBLOCK) : -EOPNOTSUPP;
    else
        r = s->fam->recv ? s->fam->recv(s, m, f->flags & O_NONBLOCK) : -EOPNOTSUPP;
    kfree(m);
    return r;
}

static long sock_read(struct file *f, uintptr_t ubuf, size_t len)
{
    return sock_rw(f, ubuf, len, false);
}

static long sock_write(struct file *f, uintptr_t ubuf, size_t len)
{
    return sock_rw(f, ubuf, len, true);
}

void socket_fill_stat(const void *obj, struct kstat *st)
{
    *st = (struct kstat){0};
    st->st_mode = S_IFSOCK | 0777;
    st->st_ino = (uint64_t)(uintptr_t)obj >> 4;
    st->st_nlink = 1;
    st->st_blksize = 4096;
}

static int sock_stat(struct file *f, struct kstat *st)
{
    socket_fill_stat(f->priv, st);
    return 0;
}

static unsigned sock_poll(struct file *f)
{
    struct socket *s = f->priv;

    return s->fam->poll ? s->fam->poll(s) : 0;
}

static long sock_ioctl(struct file *f, unsigned long cmd, uintptr_t arg)
{
    struct socket *s = f->priv;
    int v;

    switch (cmd) {
    case FIONBIO:
        if (copy_from_user(&v, arg, sizeof(v)) < 0)
            return -EFAULT;
        f->flags = v ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
        return 0;
    case FIONREAD:
        v = s->fam->inq ? (int)s->fam->inq(s) : 0;
        if (v < 0)
            return v;
        return copy_to_user(arg, &v, sizeof(v));
    case SIOCOUTQ:
        v = 0;
        return copy_to_user(arg, &v, sizeof(v));
    default:   /* the interfaces (ifconfig asks an AF_INET socket, as on Linux) */
        return s->fam->family == AF_INET ? net_ifreq_ioctl(cmd, arg) : -ENOTTY;
    }
}

static void sock_release(struct file *f)
{
    struct socket *s = f->priv;

    if (s->fam->release && s->priv)   /* an accept that failed has no family part */
        s->fam->release(s);
    kfree(s);
}

static const struct file_ops socket_ops = {
    .read = sock_read,
    .write = sock_write,
    .stat = sock_stat,
    .poll = sock_poll,
    .ioctl = sock_ioctl,
    .release = sock_release,
};

bool socket_is(struct file *f)
{
    return f && f->ops == &socket_ops;
}

struct socket *socket_of(struct file *f)
{
    return socket_is(f) ? f->priv : NULL;
}

struct file *socket_poll_file(struct file *f)
{
    struct socket *s = socket_of(f);
    struct file *inner = s && s->priv && s->fam->poll_file ? s->fam->poll_file(s) : NULL;

    return inner ? inner : f;
}

static const struct sock_family *family_find(int family, int type)
{
    switch (family) {
    case AF_UNIX:
        return type == SOCK_RAW ? NULL : &unix_family;
    case AF_INET:
        return type == SOCK_STREAM ? &inet_family : &inet_dgram_family;
    default:
        return NULL;   /* AF_INET6: not yet (docs/sockets.md) */
    }
}

int socket_create(int family, int type, int protocol, unsigned flags, struct file **out)
{
    const struct sock_family *fam = family_find(family, type);
    struct socket *s;
    int err;

    if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET && type != SOCK_RAW)
        return -ESOCKTNOSUPPORT;
    if (!fam)
        return family == AF_UNIX ? -ESOCKTNOSUPPORT : -EAFNOSUPPORT;
    if (!(s = kzalloc(sizeof(*s))))
        return -ENOMEM;
    s->fam = fam;
    s->type = type;
    s->protocol = protocol;
    s->rcvbuf = s->sndbuf = SOCK_BUF_DEFAULT;
    if ((err = fam->create(s, protocol)) < 0) {
        kfree(s);
        return err;
    }
    if (!(*out = file_new(&socket_ops, O_RDWR | (flags & O_NONBLOCK), s))) {
        fam->release(s);
        kfree(s);
        return -ENOMEM;
    }
    s->file = *out;
    return 0;
}

int socket_create_accepted(struct socket *ls, unsigned flags, struct file **out)
{
    struct socket *s = kzalloc(sizeof(*s));

    if (!s)
        return -ENOMEM;
    s->fam = ls->fam;
    s->type = ls->type;
    s->protocol = ls->protocol;
    s->rcvbuf = s->sndbuf = SOCK_BUF_DEFAULT;
    if (!(*out = file_new(&socket_ops, O_RDWR | (flags & O_NONBLOCK), s))) {
        kfree(s);
        return -ENOMEM;
    }
    s->file = *out;
    return 0;
}

/* struct timeval (64-bit) as ns; a zero one is "forever". */
static int timeval_ns(const void *val, unsigned len, uint64_t *ns)
{
    int64_t tv[2];

    if (len < sizeof(tv))
        return -EINVAL;
    memcpy(tv, val, sizeof(tv));
    if (tv[1] < 0 || tv[1] >= 1000000)
        return -EDOM;
    if (tv[0] < 0) {
        *ns = 0;   /* Linux: a negative timeout is no timeout */
        return 0;
    }
    if (tv[0] > INT64_MAX / NSEC_PER_SEC / 4)
        tv[0] = INT64_MAX / NSEC_PER_SEC / 4;
    *ns = (uint64_t)tv[0] * NSEC_PER_SEC + (uint64_t)tv[1] * 1000;
    return 0;
}

static unsigned buf_clamp(int v)
{
    uint64_t b = v <= 0 ? 0 : (uint64_t)v * 2;   /* Linux doubles it for overhead */

    if (b < SOCK_BUF_MIN)
        return SOCK_BUF_MIN;
    return b > SOCK_BUF_MAX ? SOCK_BUF_MAX : (unsigned)b;
}

int socket_setopt(struct socket *s, int level, int name, const void *val, unsigned len)
{
    int v = 0;

    if (level != SOL_SOCKET)
        return s->fam->setopt ? s->fam->setopt(s, level, name, val, len) : -EOPNOTSUPP;
    if (name != SO_RCVTIMEO && name != SO_SNDTIMEO && name != SO_RCVTIMEO_NEW &&
        name != SO_SNDTIMEO_NEW && name != SO_LINGER) {
        if (len < sizeof(int))
            return -EINVAL;
        memcpy(&v, val, sizeof(v));
    }
    switch (name) {
    case SO_REUSEADDR: s->reuseaddr = v != 0; return 0;
    case SO_REUSEPORT: return 0;
    case SO_KEEPALIVE:
        s->keepalive = v != 0;
        if (s->fam->setopt)   /* a family that passes it on (AF_INET: to lwIP) */
            s->fam->setopt(s, SOL_SOCKET, name, val, len);
        return 0;
    case SO_BROADCAST: s->broadcast = v != 0; return 0;   /* netd lets any UDP socket broadcast */
    case SO_PASSCRED: s->passcred = v != 0; return 0;
    case SO_SNDBUF: case SO_SNDBUFFORCE: s->sndbuf = buf_clamp(v); return 0;
    case SO_RCVBUF: case SO_RCVBUFFORCE: s->rcvbuf = buf_clamp(v); return 0;
    case SO_RCVTIMEO: case SO_RCVTIMEO_NEW: return timeval_ns(val, len, &s->rcvtimeo);
    case SO_SNDTIMEO: case SO_SNDTIMEO_NEW: return timeval_ns(val, len, &s->sndtimeo);
    case SO_LINGER: return len < 2 * sizeof(int) ? -EINVAL : 0;   /* close never waits here */
    default: return -ENOPROTOOPT;
    }
}

/* An int option's value, or -ENOPROTOOPT. */
static int int_opt(struct socket *s, int name, int *v)
{
    switch (name) {
    case SO_REUSEADDR: *v = s->reuseaddr; return 0;
    case SO_KEEPALIVE: *v = s->keepalive; return 0;
    case SO_BROADCAST: *v = s->broadcast; return 0;
    case SO_PASSCRED: *v = s->passcred; return 0;
    case SO_TYPE: *v = s->type; return 0;
    case SO_DOMAIN: *v = s->fam->family; return 0;
    case SO_PROTOCOL: *v = s->protocol; return 0;
    case SO_ACCEPTCONN: *v = s->listening; return 0;
    case SO_SNDBUF: *v = (int)s->sndbuf; return 0;
    case SO_RCVBUF: *v = (int)s->rcvbuf; return 0;
    case SO_ERROR:
        if (!s->error && s->fam->pending_error)
            s->error = s->fam->pending_error(s);
        *v = -s->error;
        s->error = 0;
        return 0;
    case SO_REUSEPORT: *v = 0; return 0;
    default: return -ENOPROTOOPT;
    }
}

int socket_getopt(struct socket *s, int level, int name, void *val, unsigned *len)
{
    int64_t tv[2];
    uint64_t ns;
    int v, err;

    if (level != SOL_SOCKET)
        return -EOPNOTSUPP;
    if (name == SO_RCVTIMEO || name == SO_SNDTIMEO || name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW) {
        ns = (name == SO_RCVTIMEO || name == SO_RCVTIMEO_NEW) ? s->rcvtimeo : s->sndtimeo;
        tv[0] = (int64_t)(ns / NSEC_PER_SEC);
        tv[1] = (int64_t)(ns % NSEC_PER_SEC / 1000);
        *len = *len < sizeof(tv) ? *len : sizeof(tv);
        memcpy(val, tv, *len);
        return 0;
    }
    if (name == SO_PEERCRED) {
        struct sock_cred c;
        if (!s->fam->peercred || (err = s->fam->peercred(s, &c)) < 0)
            return s->fam->peercred ? err : -ENOPROTOOPT;
        *len = *len < sizeof(c) ? *len : sizeof(c);
        memcpy(val, &c, *len);
        return 0;
    }
    if (name == SO_LINGER) {
        int l[2] = {0, 0};
        *len = *len < sizeof(l) ? *len : sizeof(l);
        memcpy(val, l, *len);
        return 0;
    }
    if ((err = int_opt(s, name, &v)) < 0)
        return err;
    *len = *len < sizeof(v) ? *len : sizeof(v);
    memcpy(val, &v, *len);
    return 0;
}
