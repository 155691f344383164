/* services/lib/serve.c: the packet loop: read requests, turn each into an
 * ops call with its window as the buffer, write the replies back. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "svc.h"

#define BATCH 16
#define SEEK_SET_ 0
#define SEEK_CUR_ 1
#define SEEK_END_ 2

static void *win(const struct anvil_packet *p)
{
    return (void *)(uintptr_t)p->arg[0];
}

/* A path window: NUL-terminated within its length. */
static const char *path(const struct anvil_packet *p)
{
    const char *s = win(p);

    if (!s || p->arg[1] == 0 || memchr(s, '\0', p->arg[1]) == NULL)
        return NULL;
    return s;
}

static long do_lseek(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *p)
{
    struct anvil_stat st;
    int64_t base = 0, off = (int64_t)p->arg[2];
    long r;

    if (p->flags == SEEK_SET_)
        base = 0;
    else if (p->flags == SEEK_CUR_)
        base = (int64_t)p->arg[1];
    else if (p->flags == SEEK_END_ && ops->fstat) {
        if ((r = ops->fstat(c, p->handle, &st)) < 0)
            return r;
        base = (int64_t)st.size;
    } else
        return -EINVAL;
    return base + off < 0 ? -EINVAL : base + off;
}

/* The two NUL-terminated paths of a "first\0second\0" window, or -EINVAL. */
static int two_paths(const struct anvil_packet *p, const char **a, const char **b)
{
    const char *first = path(p), *second;
    size_t used;

    if (!first)
        return -EINVAL;
    second = first + strlen(first) + 1;
    used = (size_t)(second - first);
    if (used >= p->arg[1] || !memchr(second, '\0', p->arg[1] - used))
        return -EINVAL;
    *a = first;
    *b = second;
    return 0;
}

static long do_link(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *p)
{
    const char *a, *b;
    int err = two_paths(p, &a, &b);

    if (err)
        return err;
    if (p->op == ANVIL_OP_SYMLINK)
        return ops->symlink ? ops->symlink(c, a, b) : -EPERM;
    return ops->link ? ops->link(c, a, b, (int)p->flags) : -EPERM;
}

static long do_rename(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *p)
{
    const char *from, *to;
    int err = two_paths(p, &from, &to);

    if (err)
        return err;
    return ops->rename ? ops->rename(c, from, to) : -ENOSYS;
}

/* Ops whose window holds a path in and an answer out at offset 0: the path is
 * copied out first, so the callback may fill the window freely. */
static long dispatch_query(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *p)
{
    static char copy[ANVIL_SCHEME_WINDOW_MAX];
    const char *s = path(p);
    void *w = win(p);
    size_t n = p->arg[1];

    if (!s || n > sizeof(copy))
        return -EINVAL;
    memcpy(copy, s, strlen(s) + 1);
    switch (p->op) {
    case ANVIL_OP_STAT:
        if (n < sizeof(struct anvil_stat))
            return -EINVAL;
        memset(w, 0, n);
        return ops->stat ? ops->stat(c, copy, (int)p->flags, w) : -ENOSYS;
    case ANVIL_OP_STATFS:
        if (n < sizeof(struct anvil_statfs))
            return -EINVAL;
        memset(w, 0, n);
        return ops->statfs ? ops->statfs(c, copy, w) : -ENOSYS;
    case ANVIL_OP_READLINK:
        return ops->readlink ? ops->readlink(c, copy, w, n) : -ENOSYS;
    default:
        return -ENOSYS;
    }
}

static long do_setattr(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *p)
{
    struct anvil_setattr a;
    const char *s = (const char *)win(p) + sizeof(a);
    size_t n = p->arg[1];

    if (!win(p) || n < sizeof(a))
        return -EINVAL;
    memcpy(&a, win(p), sizeof(a));
    if (p->op == ANVIL_OP_FSETATTR)
        return ops->fsetattr ? ops->fsetattr(c, p->handle, &a) : -EPERM;
    if (n == sizeof(a) || !memchr(s, '\0', n - sizeof(a)))
        return -EINVAL;
    return ops->setattr ? ops->setattr(c, s, (int)p->flags, &a) : -EPERM;
}

static long dispatch_path(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *p)
{
    const char *s = path(p);

    if (!s)
        return -EINVAL;
    switch (p->op) {
    case ANVIL_OP_OPEN: return ops->open ? ops->open(c, s, (int)p->flags, (unsigned)p->arg[2]) : -ENOENT;
    case ANVIL_OP_UNLINK: return ops->unlink ? ops->unlink(c, s) : -ENOSYS;
    case ANVIL_OP_MKDIR: return ops->mkdir ? ops->mkdir(c, s, (unsigned)p->arg[2]) : -ENOSYS;
    case ANVIL_OP_RMDIR: return ops->rmdir ? ops->rmdir(c, s) : -ENOSYS;
    default: return -ENOSYS;
    }
}

static long dispatch(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *p)
{
    uint64_t h = p->handle;
    size_t n = p->arg[1];

    switch (p->op) {
    case ANVIL_OP_OPEN: case ANVIL_OP_UNLINK: case ANVIL_OP_MKDIR: case ANVIL_OP_RMDIR:
        return dispatch_path(c, ops, p);
    case ANVIL_OP_RENAME: return do_rename(c, ops, p);
    case ANVIL_OP_CLOSE: return ops->close ? ops->close(c, h) : 0;
    case ANVIL_OP_READ: return ops->read ? ops->read(c, h, win(p), n, p->arg[2]) : -ENOSYS;
    case ANVIL_OP_WRITE: return ops->write ? ops->write(c, h, win(p), n, p->arg[2]) : -ENOSYS;
    case ANVIL_OP_LSEEK: return do_lseek(c, ops, p);
    case ANVIL_OP_FSTAT:
        if (n < sizeof(struct anvil_stat))
            return -EINVAL;
        return ops->fstat ? ops->fstat(c, h, win(p)) : -ENOSYS;
    case ANVIL_OP_FSYNC: return ops->fsync ? ops->fsync(c, h) : 0;
    case ANVIL_OP_FTRUNCATE: return ops->ftruncate ? ops->ftruncate(c, h, p->arg[2]) : -ENOSYS;
    case ANVIL_OP_GETDENTS: return ops->getdents ? ops->getdents(c, h, win(p), n, p->arg[2]) : -ENOTDIR;
    case ANVIL_OP_DUP: return ops->dup ? ops->dup(c, h, path(p)) : -ENOSYS;
    case ANVIL_OP_FCNTL: return ops->fcntl ? ops->fcntl(c, h, (int)p->flags, p->arg[2]) : -EINVAL;
    case ANVIL_OP_IOCTL: return ops->ioctl ? ops->ioctl(c, h, p->arg[2], win(p), n) : -ENOTTY;
    case ANVIL_OP_POLL: return ops->poll ? ops->poll(c, h, (unsigned)p->arg[2]) : (long)p->arg[2];
    case ANVIL_OP_STAT: case ANVIL_OP_STATFS: case ANVIL_OP_READLINK:
        return dispatch_query(c, ops, p);
    case ANVIL_OP_SETATTR: case ANVIL_OP_FSETATTR: return do_setattr(c, ops, p);
    case ANVIL_OP_SYMLINK: case ANVIL_OP_LINK: return do_link(c, ops, p);
    case ANVIL_OP_FSTATFS:
        if (n < sizeof(struct anvil_statfs))
            return -EINVAL;
        return ops->fstatfs ? ops->fstatfs(c, h, win(p)) : -ENOSYS;
    default: return -ENOSYS;   /* an op from a newer kernel */
    }
}

/* The reply to req: its id and op, the result, no request flags. */
static struct anvil_packet reply_to(const struct anvil_packet *req, long result)
{
    struct anvil_packet rep = *req;

    rep.flags = 0;
    rep.result = result;
    return rep;
}

int svc_reply(int fd, const struct anvil_packet *req, long result)
{
    struct anvil_packet rep = reply_to(req, result);

    return write(fd, &rep, sizeof(rep)) == (ssize_t)sizeof(rep) ? 0 : -errno;
}

/* A daemon that lets the kernel cache its files (ops->cache_files) answers a
 * successful OPEN of a regular file with the file's stat in the window. */
static void open_stat(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *req,
                      struct anvil_packet *rep)
{
    struct anvil_stat *st = win(req);

    if (req->op != ANVIL_OP_OPEN || rep->result < 0 || !ops->cache_files || !ops->fstat ||
        !st || req->arg[1] < sizeof(*st))
        return;
    memset(st, 0, sizeof(*st));
    if (ops->fstat(c, (uint64_t)rep->result, st) >= 0 && (st->mode & 0170000) == 0100000)
        rep->flags = ANVIL_REPLY_STAT;
}

int svc_serve_once(int fd, const struct scheme_ops *ops)
{
    struct anvil_packet batch[BATCH];
    ssize_t n = read(fd, batch, sizeof(batch));

    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    for (size_t i = 0; i < (size_t)n / sizeof(batch[0]); i++) {
        struct svc_ctx c = {.pkt = &batch[i], .pid = batch[i].pid, .server_fd = fd};
        long r = dispatch(&c, ops, &batch[i]);
        if (r == SVC_DEFER)
            continue;
        /* Each reply at once: a later request of the batch may wait on this one's caller. */
        struct anvil_packet rep = reply_to(&batch[i], r);
        open_stat(&c, ops, &batch[i], &rep);
        (void)!write(fd, &rep, sizeof(rep));   /* a reply nobody waits for is dropped */
    }
    return 0;
}

int svc_serve(int fd, const struct scheme_ops *ops)
{
    for (;;) {
        int err = svc_serve_once(fd, ops);
        if (err)
            return err;
    }
}
