/* services/fatd/blk_file.c: a block source on a file descriptor: a host image
 * in the tests, or a block scheme's partition (disk.NAME:PART), which answers
 * the same pread/pwrite/fsync. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blk.h"

struct file_blk {
    struct blk b;
    int fd;
};

static int fd_of(struct blk *b)
{
    return ((struct file_blk *)b->priv)->fd;
}

static int file_read(struct blk *b, uint64_t off, void *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = pread(fd_of(b), buf, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        buf = (char *)buf + n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int file_write(struct blk *b, uint64_t off, const void *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = pwrite(fd_of(b), buf, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        buf = (const char *)buf + n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int file_flush(struct blk *b)
{
    return fsync(fd_of(b)) < 0 ? -errno : 0;
}

static void file_close(struct blk *b)
{
    close(fd_of(b));
    free(b->priv);
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
    f->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    /* a block scheme may not know SEEK_END; its fstat size is the partition's */
    end = f->fd < 0 ? -1 : lseek(f->fd, 0, SEEK_END);
    if (end <= 0) {
        int err = f->fd < 0 ? -errno : -EIO;
        if (f->fd >= 0)
            close(f->fd);
        free(f);
        return err;
    }
    f->b = (struct blk){.ops = &file_ops, .size = (uint64_t)end, .readonly = readonly, .priv = f};
    *out = &f->b;
    return 0;
}
