/* services/ps2d/input.c: serving input:. Each open file has its own ring of
 * events; a read or poll that finds it empty is held (one of each per file)
 * and answered when a key comes. Paths: "" (every event), "keyboard",
 * "mouse" (that device's events); "console" (the keyboard's) also
 * takes the keys from the kernel console (a console service types them into
 * its terminals itself) until it is closed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "input.h"

#define FILES_MAX 16

struct held {
    bool used;
    struct anvil_packet pkt;
    void *buf;                 /* a read's window */
    size_t len;
};

enum devices { KEYBOARD = 1, MOUSE = 2 };

struct input_file {
    bool used;
    bool console;              /* opened as input:console */
    unsigned devices;          /* whose events it queues */
    struct anvil_input_event ring[ANVIL_INPUT_QUEUE];
    unsigned head, tail;       /* free running: head - tail events wait */
    struct held read, poll;
};

static struct input_file files[FILES_MAX];
static int server_fd = -1;

void input_set_fd(int fd)
{
    server_fd = fd;
}

static struct input_file *get(uint64_t h)
{
    return h < FILES_MAX && files[h].used ? &files[h] : NULL;
}

static long input_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    (void)c, (void)mode;
    bool console = strcmp(path, "console") == 0;
    unsigned devices = !path[0] ? KEYBOARD | MOUSE : strcmp(path, "mouse") == 0 ? MOUSE
                       : strcmp(path, "keyboard") == 0 || console ? KEYBOARD : 0;

    if (!devices)
        return -ENOENT;
    if ((flags & O_ACCMODE) != O_RDONLY)
        return -EACCES;
    for (int h = 0; h < FILES_MAX; h++) {
        if (!files[h].used) {
            memset(&files[h], 0, sizeof(files[h]));
            files[h].used = true;
            files[h].console = console;
            files[h].devices = devices;
            return h;
        }
    }
    return -EMFILE;
}

/* Move whole events into buf: bytes. */
static long take(struct input_file *f, void *buf, size_t len)
{
    size_t n = 0, each = sizeof(struct anvil_input_event);

    while (f->tail != f->head && n + each <= len) {
        memcpy((char *)buf + n, &f->ring[f->tail++ % ANVIL_INPUT_QUEUE], each);
        n += each;
    }
    return (long)n;
}

static void hold(struct held *h, const struct svc_ctx *c, void *buf, size_t len)
{
    if (h->used)
        svc_reply(server_fd, &h->pkt, 0);   /* superseded; its caller has moved on */
    h->used = true;
    h->pkt = *c->pkt;
    h->buf = buf;
    h->len = len;
}

static long input_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct input_file *f = get(h);

    (void)off;
    if (!f)
        return -EBADF;
    if (len < sizeof(struct anvil_input_event))
        return -EINVAL;
    if (f->head != f->tail)
        return take(f, buf, len);
    hold(&f->read, c, buf, len);
    return SVC_DEFER;
}

static long input_poll(struct svc_ctx *c, uint64_t h, unsigned events)
{
    struct input_file *f = get(h);

    if (!f)
        return POLLERR;
    if (f->head != f->tail || !(events & POLLIN))
        return events & (f->head != f->tail ? POLLIN : 0);
    hold(&f->poll, c, NULL, 0);
    return SVC_DEFER;
}

static long input_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    (void)c;
    if (!get(h))
        return -EBADF;
    st->mode = S_IFCHR | 0444;
    st->ino = h + 1;
    return 0;
}

static long input_close(struct svc_ctx *c, uint64_t h)
{
    struct input_file *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    if (f->read.used)
        svc_reply(server_fd, &f->read.pkt, -EBADF);
    if (f->poll.used)
        svc_reply(server_fd, &f->poll.pkt, POLLHUP);
    f->used = false;
    return 0;
}

bool input_console_taken(void)
{
    for (int h = 0; h < FILES_MAX; h++)
        if (files[h].used && files[h].console)
            return true;
    return false;
}

static unsigned device_of(const struct anvil_input_event *ev)
{
    return ev->type == ANVIL_INPUT_REL || ev->code >= ANVIL_BTN_LEFT ? MOUSE : KEYBOARD;
}

void input_post(const struct anvil_input_event *ev)
{
    for (int h = 0; h < FILES_MAX; h++) {
        struct input_file *f = &files[h];
        if (!f->used || !(f->devices & device_of(ev)))
            continue;
        if (f->head - f->tail == ANVIL_INPUT_QUEUE)
            f->tail++;   /* a reader this far behind loses the oldest */
        f->ring[f->head++ % ANVIL_INPUT_QUEUE] = *ev;
        if (f->read.used) {
            f->read.used = false;
            svc_reply(server_fd, &f->read.pkt, take(f, f->read.buf, f->read.len));
        }
        if (f->poll.used) {
            f->poll.used = false;
            svc_reply(server_fd, &f->poll.pkt, POLLIN);
        }
    }
}

const struct scheme_ops input_ops = {
    .open = input_open, .read = input_read, .poll = input_poll,
    .fstat = input_fstat, .close = input_close,
};
