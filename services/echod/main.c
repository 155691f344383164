/* services/echod/main.c: the echo: scheme, the example daemon of
 * docs/schemes.md: every file (any path) gives back on read what was
 * written to it. poll: POLLOUT at once; POLLIN when there is data, else
 * the request is held (SVC_DEFER) and answered when a write brings some. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "svc.h"

#define ECHO_MAX 4096
#define HANDLES_MAX 64
#define WAITERS_MAX 8

struct echo_file {
    int used;
    char data[ECHO_MAX];
    size_t len;
    struct anvil_packet waiters[WAITERS_MAX];   /* held POLL requests, oldest first */
    int nwaiters;
};

static struct echo_file files[HANDLES_MAX];
static int server_fd;

/* Answer every held POLL request of f with what it asked that is ready. */
static void wake_waiters(struct echo_file *f)
{
    for (int i = 0; i < f->nwaiters; i++) {
        unsigned want = (unsigned)f->waiters[i].arg[2];
        svc_reply(server_fd, &f->waiters[i], (long)(want & ((f->len ? POLLIN : 0) | POLLOUT)));
    }
    f->nwaiters = 0;
}

static long echo_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    (void)c, (void)path, (void)flags, (void)mode;
    for (int h = 0; h < HANDLES_MAX; h++) {
        if (!files[h].used) {
            files[h].used = 1;
            files[h].len = 0;
            files[h].nwaiters = 0;
            return h;
        }
    }
    return -EMFILE;
}

static struct echo_file *get(uint64_t h)
{
    return h < HANDLES_MAX && files[h].used ? &files[h] : NULL;
}

static long echo_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct echo_file *f = get(h);

    (void)c, (void)off;
    if (!f)
        return -EBADF;
    if (len > ECHO_MAX - f->len)
        len = ECHO_MAX - f->len;
    memcpy(f->data + f->len, buf, len);
    f->len += len;
    if (f->len)
        wake_waiters(f);
    return (long)len;
}

static long echo_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct echo_file *f = get(h);

    (void)c, (void)off;
    if (!f)
        return -EBADF;
    if (len > f->len)
        len = f->len;
    memcpy(buf, f->data, len);
    memmove(f->data, f->data + len, f->len - len);
    f->len -= len;
    return (long)len;
}

static long echo_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct echo_file *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    st->mode = S_IFCHR | 0666;
    st->size = f->len;
    st->ino = h + 1;
    return 0;
}

static long echo_poll(struct svc_ctx *c, uint64_t h, unsigned events)
{
    struct echo_file *f = get(h);
    unsigned ready = POLLOUT | (f && f->len ? POLLIN : 0);

    if (!f)
        return -EBADF;
    if ((events & ready) || !(events & POLLIN))
        return (long)(events & ready);
    if (f->nwaiters == WAITERS_MAX) {   /* full: the oldest (its poller may be gone) gets "not ready" */
        svc_reply(server_fd, &f->waiters[0], 0);
        memmove(f->waiters, f->waiters + 1, sizeof(f->waiters[0]) * (WAITERS_MAX - 1));
        f->nwaiters--;
    }
    f->waiters[f->nwaiters++] = *c->pkt;
    return SVC_DEFER;
}

static long echo_close(struct svc_ctx *c, uint64_t h)
{
    (void)c;
    if (!get(h))
        return -EBADF;
    wake_waiters(&files[h]);   /* nobody polls a closed handle: frees the kernel's forgotten requests */
    files[h].used = 0;
    return 0;
}

static const struct scheme_ops echo_ops = {
    .open = echo_open, .read = echo_read, .write = echo_write,
    .fstat = echo_fstat, .close = echo_close, .poll = echo_poll,
};

int main(void)
{
    int fd = svc_register("echo");

    server_fd = fd;
    if (fd < 0) {
        svc_log("echod: cannot register echo: %s", strerror(-fd));
        return 1;
    }
    return svc_serve(fd, &echo_ops) < 0 ? 1 : 0;
}
