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

static long do_rename(struct svc_ctx *c, const struct scheme_ops *ops, const struct anvil_packet *p)
{
    const char *from = path(p), *to;

    if (!from || !ops->rename)
        return from ? -ENOSYS : -EINVAL;
    to = from + strlen(from) + 1;
    if ((size_t)(to - from) >= p->arg[1] || !memchr(to, '\0', p->arg[1] - (size_t)(to - from)))
        return -EINVAL;
    return ops->rename(c, from, to);
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
    default: return -ENOSYS;   /* an op from a newer kernel */
    }
}

int svc_reply(int fd, const struct anvil_packet *req, long result)
{
    struct anvil_packet rep = *req;

    rep.result = result;
    return write(fd, &rep, sizeof(rep)) == (ssize_t)sizeof(rep) ? 0 : -errno;
}

int svc_serve_once(int fd, const struct scheme_ops *ops)
{
    struct anvil_packet batch[BATCH];
    ssize_t n = read(fd, batch, sizeof(batch));

    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    for (size_t i = 0; i < (size_t)n / sizeof(batch[0]); i++) {
        struct svc_ctx c = {.pkt = &batch[i], .pid = batch[i].pid};
        long r = dispatch(&c, ops, &batch[i]);
        if (r != SVC_DEFER)
            svc_reply(fd, &batch[i], r);
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
