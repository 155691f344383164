/* services/logd/main.c: the log: scheme. Every open gives a handle; each line
 * written to it is stamped "[SECONDS.MILLIS] pid N: " (CLOCK_MONOTONIC, the
 * writer's pid), copied to the console (debug:, or stderr when that cannot be
 * opened) and kept in the ring (ring.h). Partial lines wait in their handle
 * until the newline or close. Reading a handle returns the ring from the
 * handle's own position, starting at the oldest line kept, so `cat log:`
 * shows the recent lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"
#include "svc.h"

#define HANDLES_MAX 64
#define TEXT_MAX 1024     /* longer lines are split */
#define STAMP_MAX 64

struct log_handle {
    int used;
    uint64_t pos;         /* next ring byte this handle reads */
    uint32_t pid;         /* who began the partial line */
    size_t len;
    char text[TEXT_MAX];  /* the partial line, without its newline */
};

static struct log_handle handles[HANDLES_MAX];
static int console = 2;

static struct log_handle *get(uint64_t h)
{
    return h < HANDLES_MAX && handles[h].used ? &handles[h] : NULL;
}

/* Stamp the handle's partial line, keep it and copy it to the console. */
static void flush_line(struct log_handle *f)
{
    char line[STAMP_MAX + TEXT_MAX + 1];
    struct timespec ts;
    int n;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    n = snprintf(line, STAMP_MAX, "[%5lld.%03ld] pid %u: ", (long long)ts.tv_sec,
                 ts.tv_nsec / 1000000, (unsigned)f->pid);
    if (n < 0)
        n = 0;
    if (n > STAMP_MAX - 1)
        n = STAMP_MAX - 1;
    memcpy(line + n, f->text, f->len);
    n += (int)f->len;
    line[n++] = '\n';
    ring_append(line, (size_t)n);
    if (write(console, line, (size_t)n) < 0)
        console = 2;   /* debug: went away: stderr from now on */
    f->len = 0;
}

/* Add n bytes of one line's text; end: the newline came after them. */
static void take(struct log_handle *f, uint32_t pid, const char *s, size_t n, int end)
{
    if (f->len == 0)
        f->pid = pid;
    while (n > 0) {
        size_t room = TEXT_MAX - f->len;
        if (room == 0) {
            flush_line(f);
            f->pid = pid;
            room = TEXT_MAX;
        }
        if (room > n)
            room = n;
        memcpy(f->text + f->len, s, room);
        f->len += room;
        s += room;
        n -= room;
    }
    if (end)
        flush_line(f);
}

static long log_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    (void)c, (void)path, (void)flags, (void)mode;
    for (int h = 0; h < HANDLES_MAX; h++) {
        if (!handles[h].used) {
            handles[h].used = 1;
            handles[h].pos = ring_oldest();
            handles[h].len = 0;
            return h;
        }
    }
    return -EMFILE;
}

static long log_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct log_handle *f = get(h);
    const char *s = buf, *end = s + len;

    (void)off;
    if (!f)
        return -EBADF;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        take(f, c->pid, s, n, nl != NULL);
        s += n + (nl != NULL);
    }
    return (long)len;
}

static long log_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct log_handle *f = get(h);

    (void)c, (void)off;
    if (!f)
        return -EBADF;
    return (long)ring_read(&f->pos, buf, len);
}

static long log_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    (void)c;
    if (!get(h))
        return -EBADF;
    st->mode = S_IFCHR | 0666;
    st->size = ring_newest() - ring_oldest();
    st->ino = h + 1;
    return 0;
}

static long log_close(struct svc_ctx *c, uint64_t h)
{
    struct log_handle *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    if (f->len > 0)
        flush_line(f);
    f->used = 0;
    return 0;
}

static const struct scheme_ops log_ops = {
    .open = log_open, .read = log_read, .write = log_write,
    .fstat = log_fstat, .close = log_close,
};

int main(void)
{
    int fd;

    console = open("debug:", O_WRONLY);
    if (console < 0) {
        svc_log("logd: cannot open debug: %s (logging to stderr)", strerror(errno));
        console = 2;
    }
    if ((fd = svc_register("log")) < 0) {
        svc_log("logd: cannot register log: %s", strerror(-fd));
        return 1;
    }
    return svc_serve(fd, &log_ops) < 0 ? 1 : 0;
}
