/* services/lib/diskscheme.c: the disk.NAME: scheme over a struct disk_dev.
 * Paths: "" lists the disk and its partitions (read: one line each, NAME
 * START SIZE LABEL in bytes; getdents: the names); "0" is the whole disk,
 * "0pN" GPT entry N, "0/LABEL" the partition with that label. Handles read
 * and write at byte offsets inside their range; fsync flushes the device. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "disk.h"
#include "gpt.h"
#include "svc.h"

#define HANDLES_MAX 64
#define LIST_MAX 4096
#define WHOLE "0"

struct disk_handle {
    bool used, list;
    uint64_t base, size;      /* bytes: the range this handle sees */
    uint64_t ino;
};

static struct disk_dev *dev;
static struct gpt_part parts[GPT_PARTS_MAX];
static int part_count;
static struct disk_handle handles[HANDLES_MAX];
static char list[LIST_MAX];
static size_t list_len;

static struct disk_handle *get(uint64_t h)
{
    return h < HANDLES_MAX && handles[h].used ? &handles[h] : NULL;
}

static int gpt_sectors(void *d, uint64_t lba, size_t n, void *buf)
{
    long r = disk_read(d, buf, n * dev->sector_size, lba * dev->sector_size);

    return r == (long)(n * dev->sector_size) ? 0 : -EIO;
}

static void list_add(const char *name, uint64_t start, uint64_t size, const char *label)
{
    int w = snprintf(list + list_len, LIST_MAX - list_len, "%s %llu %llu %s\n", name,
                     (unsigned long long)start, (unsigned long long)size, label);

    if (w > 0 && (size_t)w < LIST_MAX - list_len)
        list_len += (size_t)w;
}

static void list_make(void)
{
    char name[16];

    list_add(WHOLE, 0, dev->sectors * dev->sector_size, "-");
    for (int i = 0; i < part_count; i++) {
        snprintf(name, sizeof(name), WHOLE "p%u", parts[i].index);
        list_add(name, parts[i].first_lba * dev->sector_size,
                 (parts[i].last_lba - parts[i].first_lba + 1) * dev->sector_size,
                 parts[i].label[0] ? parts[i].label : "-");
    }
}

/* The partition a path names ("0pN" or "0/LABEL"), or NULL. */
static const struct gpt_part *part_find(const char *path)
{
    char *end;
    unsigned long n;

    for (int i = 0; i < part_count; i++) {
        if (!strncmp(path, WHOLE "/", 2) && !strcmp(path + 2, parts[i].label))
            return &parts[i];
        if (!strncmp(path, WHOLE "p", 2) && path[2] >= '1' && path[2] <= '9') {
            n = strtoul(path + 2, &end, 10);
            if (!*end && n == parts[i].index)
                return &parts[i];
        }
    }
    return NULL;
}

/* The range path names into h: 0 or -ENOENT. */
static int range_of(const char *path, struct disk_handle *h)
{
    const struct gpt_part *p;

    if (!path[0]) {
        h->list = true;
        h->ino = 1;
    } else if (!strcmp(path, WHOLE)) {
        h->size = dev->sectors * dev->sector_size;
        h->ino = 2;
    } else if ((p = part_find(path))) {
        h->base = p->first_lba * dev->sector_size;
        h->size = (p->last_lba - p->first_lba + 1) * dev->sector_size;
        h->ino = 2 + p->index;
    } else {
        return -ENOENT;
    }
    return 0;
}

static long disk_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    struct disk_handle want = {.used = true};
    int err;

    (void)c, (void)mode;
    if ((err = range_of(path, &want)) < 0)
        return (flags & O_CREAT) ? -EROFS : err;
    if (want.list && (flags & O_ACCMODE) != O_RDONLY)
        return -EISDIR;
    for (int h = 0; h < HANDLES_MAX; h++) {
        if (!handles[h].used) {
            handles[h] = want;
            return h;
        }
    }
    return -EMFILE;
}

static long disk_pread(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct disk_handle *d = get(h);

    (void)c;
    if (!d)
        return -EBADF;
    if (d->list) {
        if (off >= list_len)
            return 0;
        len = len < list_len - off ? len : list_len - off;
        memcpy(buf, list + off, len);
        return (long)len;
    }
    if (off >= d->size)
        return 0;
    if (len > d->size - off)
        len = (size_t)(d->size - off);
    return len ? disk_read(dev, buf, len, d->base + off) : 0;
}

static long disk_pwrite(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct disk_handle *d = get(h);

    (void)c;
    if (!d)
        return -EBADF;
    if (d->list)
        return -EISDIR;
    if (off >= d->size)
        return len ? -ENOSPC : 0;   /* past the end of a block device, as Linux */
    if (len > d->size - off)
        len = (size_t)(d->size - off);
    return len ? disk_write(dev, buf, len, d->base + off) : 0;
}

static long disk_fsync(struct svc_ctx *c, uint64_t h)
{
    (void)c;
    if (!get(h))
        return -EBADF;
    return dev->flush(dev) < 0 ? -EIO : 0;
}

static long disk_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct disk_handle *d = get(h);

    (void)c;
    if (!d)
        return -EBADF;
    st->mode = d->list ? S_IFDIR | 0555 : S_IFBLK | 0600;
    st->size = d->list ? list_len : d->size;
    st->blksize = dev->sector_size;
    st->ino = d->ino;
    return 0;
}

static long disk_getdents(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t pos)
{
    struct disk_handle *d = get(h);
    size_t n = 0, w;
    char name[16];

    (void)c;
    if (!d)
        return -EBADF;
    if (!d->list)
        return -ENOTDIR;
    for (; pos <= (uint64_t)part_count; pos++) {
        if (pos == 0)
            snprintf(name, sizeof(name), WHOLE);
        else
            snprintf(name, sizeof(name), WHOLE "p%u", parts[pos - 1].index);
        if (!(w = svc_dirent((char *)buf + n, len - n, pos + 2, DT_BLK, name, pos + 1)))
            break;
        n += w;
    }
    return (long)n;
}

static long disk_close(struct svc_ctx *c, uint64_t h)
{
    struct disk_handle *d = get(h);

    (void)c;
    if (!d)
        return -EBADF;
    d->used = false;
    return 0;
}

static const struct scheme_ops disk_ops = {
    .open = disk_open, .read = disk_pread, .write = disk_pwrite, .fsync = disk_fsync,
    .fstat = disk_fstat, .getdents = disk_getdents, .close = disk_close,
};

int disk_serve(const char *scheme, struct disk_dev *d)
{
    int fd;

    dev = d;
    part_count = gpt_read(gpt_sectors, d, d->sector_size, d->sectors, parts, GPT_PARTS_MAX);
    if (part_count < 0) {
        svc_log("%s: no GPT (%s): the whole disk only", scheme, strerror(-part_count));
        part_count = 0;
    }
    list_make();
    if ((fd = svc_register(scheme)) < 0)
        return fd;
    svc_log("%s: %llu sectors of %u bytes, %d partitions", scheme,
            (unsigned long long)d->sectors, d->sector_size, part_count);
    return svc_serve(fd, &disk_ops);
}
