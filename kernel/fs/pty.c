/* kernel/fs/pty.c: pseudo-terminal pairs. The slave is a tty (tty.c) whose
 * output, after output processing, waits in a ring for the master to read;
 * what the master writes is the slave's input, through the line discipline.
 * Both directions are bounded: a writer nobody reads from waits. */
#include "fs/fdtable.h"
#include "fs/pty.h"
#include "fs/tty.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "sched/sched.h"

#define PTY_OUT_BUF 4096       /* slave output waiting for the master */
#define PTY_ROWS 24            /* until someone sets the size (TIOCSWINSZ) */
#define PTY_COLS 80
/* Device numbers, Linux devices.txt: /dev/ptmx 5:2, /dev/pts/N 136:N. */
#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define PTS_MAJOR 136
#define RDEV(major, minor) (((major) << 8) | (minor))
#define PTMX_INO 5
#define PTS_INO_BASE 0x100     /* /dev/pts/N's st_ino is this + N */
#define PEER_FLAGS (O_ACCMODE | O_NONBLOCK | O_NOCTTY)
/* One master write types at most this much: canonical input past a full
 * line is dropped without waiting, and the kernel is not preemptible. */
#define MASTER_WRITE_MAX 65536

/* ioctl requests, Linux asm-generic/ioctls.h. */
#define FIONREAD 0x541b
#define TIOCGPTN 0x80045430u   /* _IOR('T', 0x30, unsigned int) */
#define TIOCSPTLCK 0x40045431u /* _IOW('T', 0x31, int) */
#define TIOCGPTLCK 0x80045439u /* _IOR('T', 0x39, int) */
#define TIOCGPTPEER 0x5441u    /* _IO('T', 0x41) */

_Static_assert(PTY_MAX <= 256, "a pts minor fits Linux's low minor byte");

struct pty {
    struct tty tty;            /* the slave */
    unsigned index;            /* N of /dev/pts/N */
    char out[PTY_OUT_BUF];     /* ring of cooked slave output */
    size_t out_head, out_count;
    bool master_open;
    unsigned slave_files;      /* open files on the slave */
    bool slave_closed;         /* its last file went: the master reads EIO */
    bool locked;               /* TIOCSPTLCK: the slave cannot be opened */
};

/* The pairs by index. Single CPU, interrupts off in the kernel: no lock. */
static struct pty *ptys[PTY_MAX];

/* The master's readers sleep on out, the slave's writers on out_head. */
static void out_changed(struct pty *p, bool filled)
{
    sched_wakeup(filled ? (const void *)p->out : (const void *)&p->out_head);
    file_poll_notify();
}

static void maybe_free(struct pty *p)
{
    if (p->master_open || p->slave_files)
        return;
    ptys[p->index] = NULL;
    kfree(p);
}

/* Cook bytes from buf into the ring while they fit: how many went. */
static size_t out_fill(struct pty *p, const char *buf, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char c[2];
        size_t k = tty_cook(&p->tty, buf[i], c);
        if (k > PTY_OUT_BUF - p->out_count)
            break;
        for (size_t j = 0; j < k; j++)
            p->out[(p->out_head + p->out_count++) % PTY_OUT_BUF] = c[j];
    }
    if (i)
        out_changed(p, true);
    return i;
}

static long slave_output(struct tty *t, const char *buf, size_t n, bool may_sleep)
{
    struct pty *p = t->priv;
    size_t done = 0;

    for (;;) {
        if (!p->master_open)
            return done ? (long)done : -EIO;
        done += out_fill(p, buf + done, n - done);
        if (done == n || !may_sleep)
            return (long)done;
        int err = sched_sleep(&p->out_head, 0, true);
        if (err)
            return done ? (long)done : err;
    }
}

static bool slave_writable(const struct tty *t)
{
    const struct pty *p = t->priv;

    return p->out_count < PTY_OUT_BUF;
}

static void slave_stat(const struct tty *t, struct kstat *st)
{
    const struct pty *p = t->priv;

    st->st_mode = S_IFCHR | 0620;
    st->st_rdev = RDEV(PTS_MAJOR, p->index);
    st->st_ino = PTS_INO_BASE + p->index;
}

/* Linux pty_open: a locked slave, or one whose master went, is EIO. */
static int slave_opened(struct tty *t)
{
    struct pty *p = t->priv;

    if (!p->master_open || t->hung_up || p->locked)
        return -EIO;
    p->slave_files++;
    p->slave_closed = false;
    return 0;
}

/* The last slave file: what it did not read is dropped (a master waiting
 * to write goes on), and the master reads EIO. */
static void slave_closed(struct tty *t)
{
    struct pty *p = t->priv;

    if (--p->slave_files == 0) {
        p->slave_closed = true;
        tty_flush_input(t);
        out_changed(p, true);
    }
    maybe_free(p);
}

static const struct tty_driver slave_driver = {
    .output = slave_output,
    .writable = slave_writable,
    .stat = slave_stat,
    .opened = slave_opened,
    .closed = slave_closed,
};

/* Wait for slave output: 0, -EIO (the slave is closed), -EAGAIN, -EINTR. */
static int wait_output(struct pty *p, struct file *f)
{
    while (p->out_count == 0) {
        if (p->slave_closed)
            return -EIO;
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        int err = sched_sleep(p->out, 0, true);
        if (err)
            return err;
    }
    return 0;
}

static long master_read(struct file *f, uintptr_t ubuf, size_t len)
{
    struct pty *p = f->priv;
    size_t done = 0;
    int err;

    if (len == 0)
        return 0;
    if ((err = wait_output(p, f)) != 0)
        return err;
    while (done < len && p->out_count) {
        size_t n = PTY_OUT_BUF - p->out_head;
        if (n > p->out_count)
            n = p->out_count;
        if (n > len - done)
            n = len - done;
        if (copy_to_user(ubuf + done, p->out + p->out_head, n) < 0)
            break;
        p->out_head = (p->out_head + n) % PTY_OUT_BUF;
        p->out_count -= n;
        done += n;
    }
    out_changed(p, false);
    return done ? (long)done : -EFAULT;
}

struct feed {
    struct pty *p;
    bool nonblock;
};

/* Master writes are typed into the slave one byte at a time, waiting
 * whenever its input is full. */
static long feed_sink(void *ctx, const char *s, size_t n)
{
    struct feed *fd = ctx;
    struct tty *t = &fd->p->tty;
    size_t i = 0;

    while (i < n) {
        if (tty_input_full(t)) {
            int err = fd->nonblock ? -EAGAIN : tty_wait_input_room(t);
            if (err)
                return i ? (long)i : err;
            continue;
        }
        if (fd->p->slave_files == 0)
            break;   /* the slave closed while we waited */
        tty_receive(t, s + i++, 1);
    }
    return i ? (long)i : -EIO;
}

/* Linux n_tty_write: no slave open is EIO. */
static long master_write(struct file *f, uintptr_t ubuf, size_t len)
{
    struct feed fd = {.p = f->priv, .nonblock = (f->flags & O_NONBLOCK) != 0};

    if (fd.p->slave_files == 0)
        return -EIO;
    return tty_copy_in(ubuf, len > MASTER_WRITE_MAX ? MASTER_WRITE_MAX : len, feed_sink, &fd);
}

static int master_stat(struct file *f, struct kstat *st)
{
    (void)f;
    pty_master_stat(st);
    return 0;
}

static unsigned master_poll(struct file *f)
{
    struct pty *p = f->priv;
    unsigned ev = p->out_count ? POLLIN : 0;

    if (p->slave_closed)
        return ev | POLLHUP;
    if (p->slave_files && !tty_input_full(&p->tty))
        ev |= POLLOUT;
    return ev;
}

/* TIOCGPTPEER: a new fd on the slave, without a path lookup. */
static long open_peer(struct pty *p, unsigned long flags)
{
    struct file *f;
    int err = tty_open(&p->tty, (unsigned)(flags & PEER_FLAGS), &f);
    int fd;

    if (err)
        return err;
    fd = fd_install(proc_current(), f, 0, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

static long put_int(uintptr_t arg, int v)
{
    return copy_to_user(arg, &v, sizeof(v));
}

static long master_ioctl(struct file *f, unsigned long cmd, uintptr_t arg)
{
    struct pty *p = f->priv;
    int v;

    switch (cmd) {
    case TIOCGPTN:
        return put_int(arg, (int)p->index);
    case TIOCSPTLCK:
        if (copy_from_user(&v, arg, sizeof(v)) < 0)
            return -EFAULT;
        p->locked = v != 0;
        return 0;
    case TIOCGPTLCK:
        return put_int(arg, p->locked);
    case TIOCGPTPEER:
        return open_peer(p, arg);
    case FIONREAD:
        return put_int(arg, (int)p->out_count);
    default:
        return tty_peer_ioctl(f, &p->tty, cmd, arg);
    }
}

/* The session on the slave is hung up; its writers and readers wake. */
static void master_release(struct file *f)
{
    struct pty *p = f->priv;

    p->master_open = false;
    tty_hangup(&p->tty);
    out_changed(p, false);
    maybe_free(p);
}

static const struct file_ops master_ops = {
    .read = master_read,
    .write = master_write,
    .stat = master_stat,
    .ioctl = master_ioctl,
    .poll = master_poll,
    .release = master_release,
};

static int free_index(void)
{
    for (int i = 0; i < PTY_MAX; i++)
        if (!ptys[i])
            return i;
    return -ENOSPC;
}

int pty_open_master(unsigned flags, struct file **out)
{
    int n = free_index();
    struct pty *p;

    if (n < 0)
        return n;
    if (!(p = kzalloc(sizeof(*p))))
        return -ENOMEM;
    if (!(*out = file_new(&master_ops, flags & (O_ACCMODE | O_NONBLOCK), p))) {
        kfree(p);
        return -ENOMEM;
    }
    tty_init(&p->tty, &slave_driver, p, PTY_ROWS, PTY_COLS);
    p->index = (unsigned)n;
    p->master_open = true;
    p->locked = true;
    ptys[n] = p;
    return 0;
}

bool pty_live(unsigned n)
{
    return n < PTY_MAX && ptys[n] && ptys[n]->master_open;
}

int pty_open_slave(unsigned n, unsigned flags, struct file **out)
{
    if (!pty_live(n))
        return -ENOENT;
    return tty_open(&ptys[n]->tty, flags, out);
}

int pty_slave_stat(unsigned n, struct kstat *st)
{
    if (!pty_live(n))
        return -ENOENT;
    tty_stat_of(&ptys[n]->tty, st);
    return 0;
}

void pty_master_stat(struct kstat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0666;
    st->st_rdev = RDEV(PTMX_MAJOR, PTMX_MINOR);
    st->st_ino = PTMX_INO;
    st->st_nlink = 1;
    st->st_blksize = 1024;
}
