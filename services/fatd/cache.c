/* services/fatd/cache.c: the sector cache (see cache.h). Lines are found by a
 * hash of the sector number and replaced least recently used first; a dirty
 * victim makes the whole cache flush in class order, so eviction never writes
 * a directory sector ahead of the FAT and data sectors it points at. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

int cache_init(struct cache *c, struct blk *b, uint32_t sector_size, size_t nlines)
{
    *c = (struct cache){.blk = b, .sector_size = sector_size, .nlines = nlines,
                        .nbuckets = nlines * 2};
    c->lines = calloc(nlines, sizeof(*c->lines));
    c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
    if (!c->lines || !c->buckets)
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
    c->lines = NULL;
    c->buckets = NULL;
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

static int write_line(struct cache *c, struct cache_line *l)
{
    int err = c->blk->ops->write(c->blk, l->sector * c->sector_size, l->data, c->sector_size);

    if (err == 0) {
        l->dirty = false;
        c->writes++;
    }
    return err;
}

int cache_flush(struct cache *c)
{
    for (int cls = 0; cls < CACHE_CLASSES; cls++) {
        bool any = false;
        int err;
        for (size_t i = 0; i < c->nlines; i++) {
            struct cache_line *l = &c->lines[i];
            if (!l->valid || !l->dirty || l->cls != cls)
                continue;
            if ((err = write_line(c, l)) < 0)
                return err;
            any = true;
        }
        /* the barrier: this class is on the disk before the next is written */
        if (any && (err = c->blk->ops->flush(c->blk)) < 0)
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

static struct cache_line *get(struct cache *c, uint64_t sector, bool fill, int *err)
{
    struct cache_line *l = find(c, sector);
    struct cache_line **b;

    if (!l) {
        if (sector >= c->blk->size / c->sector_size) {
            *err = -EIO;
            return NULL;
        }
        if (!(l = victim(c, err)))
            return NULL;
        if (fill && (*err = c->blk->ops->read(c->blk, sector * c->sector_size, l->data,
                                               c->sector_size)) < 0)
            return NULL;
        l->sector = sector;
        l->valid = true;
        l->dirty = false;
        b = bucket(c, sector);
        l->hnext = *b;
        *b = l;
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
