/* services/fatd/blk_file.c: a block source on a file descriptor: a host image
 * in the tests, or a block scheme's partition (disk.NAME:PART), which answers
 * the same pread/pwrite/fsync. When the driver behind the handle dies (ENODEV),
 * the path is opened again once init has restarted it, and the transfer redone. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blk.h"

#define REOPEN_TRIES 200        /* every 50 ms: 10 s for init to restart the driver */
#define REOPEN_TICK_NS 50000000L

struct file_blk {
    struct blk b;
    int fd;
    int flags;                  /* open(2)'s, for a reopen */
    char *path;
};

static struct file_blk *file_of(struct blk *b)
{
    return b->priv;
}

/* A fresh handle after the driver died: every transfer the old one acknowledged
 * reached the device, which a driver restart resets but does not erase, so only
 * the failed transfer is redone. 0, or -ENODEV when no driver came back. */
static int file_reopen(struct file_blk *f)
{
    const struct timespec tick = {0, REOPEN_TICK_NS};

    close(f->fd);
    for (int i = 0; i < REOPEN_TRIES; i++) {
        f->fd = open(f->path, f->flags);
        if (f->fd >= 0) {
            /* stderr is the console, as svc_log's, which the core cannot link */
            dprintf(STDERR_FILENO, "fatd: %s reopened: its driver restarted\n", f->path);
            return 0;
        }
        nanosleep(&tick, NULL);
    }
    return -ENODEV;
}

/* One pread or pwrite of the whole range, EINTR and short transfers resumed. */
static int file_xfer(int fd, bool write, uint64_t off, char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write ? pwrite(fd, buf, len, (off_t)off) : pread(fd, buf, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        buf += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

/* The transfer, and once more on a new handle when the driver went away. */
static int file_xfer_again(struct blk *b, bool write, uint64_t off, char *buf, size_t len)
{
    struct file_blk *f = file_of(b);
    /* fd is -1 after a reopen that found no driver: try again each time */
    int err = f->fd < 0 ? -ENODEV : file_xfer(f->fd, write, off, buf, len);

    if (err != -ENODEV || file_reopen(f) < 0)
        return err;
    return file_xfer(f->fd, write, off, buf, len);
}

static int file_read(struct blk *b, uint64_t off, void *buf, size_t len)
{
    return file_xfer_again(b, false, off, buf, len);
}

static int file_write(struct blk *b, uint64_t off, const void *buf, size_t len)
{
    /* pwrite does not write through buf; the cast only shares file_xfer */
    return file_xfer_again(b, true, off, (char *)buf, len);
}

static int file_flush(struct blk *b)
{
    struct file_blk *f = file_of(b);

    int err = f->fd < 0 ? -ENODEV : (fsync(f->fd) == 0 ? 0 : -errno);

    if (err != -ENODEV || file_reopen(f) < 0)
        return err;
    return fsync(f->fd) < 0 ? -errno : 0;
}

static void file_close(struct blk *b)
{
    struct file_blk *f = file_of(b);

    close(f->fd);
    free(f->path);
    free(f);
}

static const struct blk_ops file_ops = {
    .read = file_read, .write = file_write, .flush = file_flush, .close = file_close,
};

int blk_open_file(const char *path, bool readonly, struct blk **out)
{
    struct file_blk *f = calloc(1, sizeof(*f));
    off_t end;

    if (!f)
        return -ENOMEM;
    f->flags = (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
    f->path = strdup(path);
    f->fd = f->path ? open(path, f->flags) : -1;
    /* a block scheme may not know SEEK_END; its fstat size is the partition's */
    end = f->fd < 0 ? -1 : lseek(f->fd, 0, SEEK_END);
    if (end <= 0) {
        int err = f->fd < 0 ? -errno : -EIO;
        if (f->fd >= 0)
            close(f->fd);
        free(f->path);
        free(f);
        return err;
    }
    f->b = (struct blk){.ops = &file_ops, .size = (uint64_t)end, .readonly = readonly, .priv = f};
    *out = &f->b;
    return 0;
}
