/* kernel/fs/pipe.c: a pipe is a ring buffer with reader and writer counts.
 * Readers sleep while it is empty and writers exist; writers sleep while it
 * is full and readers exist; writing with no reader is EPIPE and SIGPIPE. */
#include "fs/pipe.h"
#include "lib/errno.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define PIPE_SIZE 65536

struct pipe {
    uint8_t *buf;
    size_t head, count;     /* read position, bytes held */
    unsigned readers, writers;
};

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static long pipe_read(struct file *f, uintptr_t ubuf, size_t len)
{
    struct pipe *p = f->priv;
    size_t done = 0;

    while (p->count == 0) {
        if (p->writers == 0)
            return 0;
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        int err = sched_sleep(p, 0, true);
        if (err)
            return err;
    }
    while (done < len && p->count > 0) {
        size_t n = min_size(min_size(len - done, p->count), PIPE_SIZE - p->head);
        if (copy_to_user(ubuf + done, p->buf + p->head, n) < 0)
            return done ? (long)done : -EFAULT;
        p->head = (p->head + n) % PIPE_SIZE;
        p->count -= n;
        done += n;
    }
    sched_wakeup(p);
    file_poll_notify();
    return (long)done;
}

static long pipe_write(struct file *f, uintptr_t ubuf, size_t len)
{
    struct pipe *p = f->priv;
    size_t done = 0;

    while (done < len) {
        if (p->readers == 0) {
            signal_send_thread(sched_current(), SIGPIPE, NULL);
            return done ? (long)done : -EPIPE;
        }
        if (p->count == PIPE_SIZE) {
            if (f->flags & O_NONBLOCK)
                return done ? (long)done : -EAGAIN;
            int err = sched_sleep(p, 0, true);
            if (err)
                return done ? (long)done : err;
            continue;
        }
        size_t tail = (p->head + p->count) % PIPE_SIZE;
        size_t n = min_size(min_size(len - done, PIPE_SIZE - p->count), PIPE_SIZE - tail);
        if (copy_from_user(p->buf + tail, ubuf + done, n) < 0)
            return done ? (long)done : -EFAULT;
        p->count += n;
        done += n;
        sched_wakeup(p);
        file_poll_notify();
    }
    return (long)done;
}

static int pipe_stat(struct file *f, struct kstat *st)
{
    struct pipe *p = f->priv;

    *st = (struct kstat){0};
    st->st_mode = S_IFIFO | 0600;
    st->st_ino = (uint64_t)(uintptr_t)p >> 4;
    st->st_nlink = 1;
    st->st_blksize = PIPE_SIZE;
    return 0;
}

static unsigned pipe_poll(struct file *f)
{
    struct pipe *p = f->priv;

    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return (p->count ? POLLIN : 0) | (p->writers == 0 ? POLLHUP : 0);
    return (p->count < PIPE_SIZE ? POLLOUT : 0) | (p->readers == 0 ? POLLERR : 0);
}

/* Pipes in the whole system: their buffers may take at most 1/8 of RAM
 * (at least PIPES_MIN of them), so a pipe hog meets ENFILE, not the
 * out-of-memory killer. Single CPU, interrupts off: no lock. */
#define PIPES_MIN 64
#define PIPE_RAM_SHARE 8
static size_t pipe_count;

static size_t pipes_max(void)
{
    size_t n = pmm_total_count() * PMM_PAGE_SIZE / PIPE_RAM_SHARE / PIPE_SIZE;

    return n < PIPES_MIN ? PIPES_MIN : n;
}

static void pipe_free(struct pipe *p)
{
    kfree(p->buf);
    kfree(p);
    pipe_count--;
}

static void pipe_release(struct file *f)
{
    struct pipe *p = f->priv;

    if ((f->flags & O_ACCMODE) == O_RDONLY)
        p->readers--;
    else
        p->writers--;
    sched_wakeup(p);
    file_poll_notify();
    if (p->readers == 0 && p->writers == 0)
        pipe_free(p);
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .stat = pipe_stat,
    .poll = pipe_poll,
    .release = pipe_release,
};

int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
    struct pipe *p;

    if (pipe_count >= pipes_max())
        return -ENFILE;
    p = kzalloc(sizeof(*p));
    if (!p || !(p->buf = kmalloc(PIPE_SIZE))) {
        kfree(p);
        return -ENOMEM;
    }
    p->readers = p->writers = 1;
    *rd = file_new(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK), p);
    *wr = file_new(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK), p);
    if (!*rd || !*wr) {
        kfree(*rd);
        kfree(*wr);
        kfree(p->buf);
        kfree(p);
        return -ENOMEM;
    }
    pipe_count++;
    return 0;
}
