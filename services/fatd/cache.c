/* services/fatd/cache.c: the sector cache (see cache.h). Lines are found by a
 * hash of the sector number and replaced least recently used first; a dirty
 * victim makes the whole cache flush in class order, so eviction never writes
 * a directory sector ahead of the FAT and data sectors it points at. Every
 * block-source call is a round trip to a driver, so a miss reads the aligned
 * run of RUN_SECTORS around it, and a flush writes consecutive dirty sectors
 * of a class in one call. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

#define RUN_SECTORS 64u   /* 32 KiB of 512-byte sectors per read-ahead or write run */

int cache_init(struct cache *c, struct blk *b, uint32_t sector_size, size_t nlines)
{
    *c = (struct cache){.blk = b, .sector_size = sector_size, .nlines = nlines,
                        .nbuckets = nlines * 2};
    c->lines = calloc(nlines, sizeof(*c->lines));
    c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
    c->run = malloc((size_t)RUN_SECTORS * sector_size);
    c->wrun = malloc((size_t)RUN_SECTORS * sector_size);
    c->sorted = calloc(nlines, sizeof(*c->sorted));
    if (!c->lines || !c->buckets || !c->run || !c->wrun || !c->sorted || nlines < 2 * RUN_SECTORS)
        goto fail;
    for (size_t i = 0; i < nlines; i++)
        if (!(c->lines[i].data = malloc(sector_size)))
            goto fail;
    return 0;
fail:
    cache_free(c);
    return -ENOMEM;
}

void cache_free(struct cache *c)
{
    for (size_t i = 0; c->lines && i < c->nlines; i++)
        free(c->lines[i].data);
    free(c->lines);
    free(c->buckets);
    free(c->run);
    free(c->wrun);
    free(c->sorted);
    c->lines = NULL;
    c->buckets = NULL;
    c->run = c->wrun = NULL;
    c->sorted = NULL;
}

static struct cache_line **bucket(struct cache *c, uint64_t sector)
{
    return &c->buckets[(sector * 0x9E3779B97F4A7C15ULL >> 20) % c->nbuckets];
}

static struct cache_line *find(struct cache *c, uint64_t sector)
{
    for (struct cache_line *l = *bucket(c, sector); l; l = l->hnext)
        if (l->sector == sector)
            return l;
    return NULL;
}

static void unhash(struct cache *c, struct cache_line *l)
{
    struct cache_line **at = bucket(c, l->sector);

    while (*at && *at != l)
        at = &(*at)->hnext;
    if (*at)
        *at = l->hnext;
    l->valid = false;
}

/* Write lines[0..n) (consecutive sectors) in one call. */
static int write_run(struct cache *c, struct cache_line **lines, size_t n)
{
    int err;

    for (size_t i = 0; i < n; i++)
        memcpy(c->wrun + i * c->sector_size, lines[i]->data, c->sector_size);
    err = c->blk->ops->write(c->blk, lines[0]->sector * c->sector_size, c->wrun,
                             n * c->sector_size);
    for (size_t i = 0; err == 0 && i < n; i++) {
        lines[i]->dirty = false;
        c->writes++;
    }
    return err;
}

static int by_sector(const void *a, const void *b)
{
    uint64_t x = (*(struct cache_line *const *)a)->sector;
    uint64_t y = (*(struct cache_line *const *)b)->sector;

    return x < y ? -1 : x > y;
}

/* Every dirty line of class cls, in sector order, in runs: how many, or -errno. */
static long flush_class(struct cache *c, int cls)
{
    size_t n = 0;
    int err;

    for (size_t i = 0; i < c->nlines; i++) {
        struct cache_line *l = &c->lines[i];
        if (l->valid && l->dirty && l->cls == cls)
            c->sorted[n++] = l;
    }
    qsort(c->sorted, n, sizeof(*c->sorted), by_sector);
    for (size_t at = 0, len; at < n; at += len) {
        for (len = 1; at + len < n && len < RUN_SECTORS &&
                      c->sorted[at + len]->sector == c->sorted[at]->sector + len; len++)
            ;
        if ((err = write_run(c, c->sorted + at, len)) < 0)
            return err;
    }
    return (long)n;
}

int cache_flush(struct cache *c)
{
    for (int cls = 0; cls < CACHE_CLASSES; cls++) {
        long n = flush_class(c, cls);
        int err;
        if (n < 0)
            return (int)n;
        /* the barrier: this class is on the disk before the next is written */
        if (n > 0 && (err = c->blk->ops->flush(c->blk)) < 0)
            return err;
    }
    return 0;
}

/* A line to reuse: a free one, else the least recently used (flushing all
 * first when it is dirty). NULL with *err set. */
static struct cache_line *victim(struct cache *c, int *err)
{
    struct cache_line *best = NULL;

    for (size_t i = 0; i < c->nlines; i++) {
        struct cache_line *l = &c->lines[i];
        if (!l->valid)
            return l;
        if (!best || l->used < best->used)
            best = l;
    }
    if (best->dirty && (*err = cache_flush(c)) < 0)
        return NULL;
    unhash(c, best);
    return best;
}

/* A line for sector (not cached yet) holding data (NULL: left as it is). */
static struct cache_line *install(struct cache *c, uint64_t sector, const uint8_t *data, int *err)
{
    struct cache_line *l = victim(c, err);
    struct cache_line **b;

    if (!l)
        return NULL;
    if (data)
        memcpy(l->data, data, c->sector_size);
    l->sector = sector;
    l->valid = true;
    l->dirty = false;
    b = bucket(c, sector);
    l->hnext = *b;
    *b = l;
    l->used = ++c->tick;
    return l;
}

/* A miss on sector: read the aligned run holding it in one call, keep the
 * sectors not cached yet (a cached one may be newer), sector itself last. */
static struct cache_line *read_run(struct cache *c, uint64_t sector, int *err)
{
    uint64_t total = c->blk->size / c->sector_size, start = sector - sector % RUN_SECTORS;
    uint64_t end = start + RUN_SECTORS < total ? start + RUN_SECTORS : total;

    if ((*err = c->blk->ops->read(c->blk, start * c->sector_size, c->run,
                                  (size_t)(end - start) * c->sector_size)) < 0)
        return NULL;
    for (uint64_t s = start; s < end; s++)
        if (s != sector && !find(c, s) && !install(c, s, c->run + (s - start) * c->sector_size, err))
            return NULL;
    return install(c, sector, c->run + (sector - start) * c->sector_size, err);
}

static struct cache_line *get(struct cache *c, uint64_t sector, bool fill, int *err)
{
    struct cache_line *l = find(c, sector);

    if (!l) {
        if (sector >= c->blk->size / c->sector_size) {
            *err = -EIO;
            return NULL;
        }
        return fill ? read_run(c, sector, err) : install(c, sector, NULL, err);
    }
    l->used = ++c->tick;
    return l;
}

const uint8_t *cache_read(struct cache *c, uint64_t sector, int *err)
{
    struct cache_line *l = get(c, sector, true, err);

    return l ? l->data : NULL;
}

uint8_t *cache_write(struct cache *c, uint64_t sector, enum cache_class cls, bool whole, int *err)
{
    struct cache_line *l;

    if (c->blk->readonly) {
        *err = -EROFS;
        return NULL;
    }
    if (!(l = get(c, sector, !whole, err)))
        return NULL;
    if (!l->dirty || cls < l->cls)
        l->cls = (uint8_t)cls;
    l->dirty = true;
    return l->data;
}
