/* services/fatd/blk_ram.c: a block source in memory, loaded whole from a file
 * (live mode: the root image GRUB brought in the initfs). Writes live for the
 * session; flush has nothing to make durable. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blk.h"

#define RAM_MAX (4ULL << 30)   /* FAT32 volumes past this are not loaded into memory */
#define RAM_CHUNK (64 * 1024)  /* per read: a scheme window */

struct ram_blk {
    struct blk b;
    uint8_t *data;
};

static uint8_t *data_of(struct blk *b)
{
    return ((struct ram_blk *)b->priv)->data;
}

static int ram_read(struct blk *b, uint64_t off, void *buf, size_t len)
{
    if (off > b->size || len > b->size - off)
        return -EIO;
    memcpy(buf, data_of(b) + off, len);
    return 0;
}

static int ram_write(struct blk *b, uint64_t off, const void *buf, size_t len)
{
    if (off > b->size || len > b->size - off)
        return -EIO;
    memcpy(data_of(b) + off, buf, len);
    return 0;
}

static int ram_flush(struct blk *b)
{
    (void)b;
    return 0;
}

static void ram_close(struct blk *b)
{
    free(data_of(b));
    free(b->priv);
}

static const struct blk_ops ram_ops = {
    .read = ram_read, .write = ram_write, .flush = ram_flush, .close = ram_close,
};

/* Read all of fd (size bytes) into data: 0 or -errno. */
static int load(int fd, uint8_t *data, uint64_t size)
{
    uint64_t done = 0;

    while (done < size) {
        size_t want = size - done < RAM_CHUNK ? (size_t)(size - done) : RAM_CHUNK;
        ssize_t n = read(fd, data + done, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        done += (uint64_t)n;
    }
    return 0;
}

int blk_open_ram(const char *path, struct blk **out)
{
    struct ram_blk *r = calloc(1, sizeof(*r));
    int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
    struct stat st;

    if (!r || fd < 0 || fstat(fd, &st) < 0)
        err = !r ? -ENOMEM : -errno;
    else if (st.st_size <= 0 || (uint64_t)st.st_size > RAM_MAX)
        err = -EFBIG;
    else if (!(r->data = malloc((size_t)st.st_size)))
        err = -ENOMEM;
    else
        err = load(fd, r->data, (uint64_t)st.st_size);
    if (fd >= 0)
        close(fd);
    if (err) {
        if (r)
            free(r->data);
        free(r);
        return err;
    }
    r->b = (struct blk){.ops = &ram_ops, .size = (uint64_t)st.st_size, .priv = r};
    *out = &r->b;
    return 0;
}
