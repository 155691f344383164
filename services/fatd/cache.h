/* services/fatd/cache.h: the sector cache between the FAT code and its block
 * source: write-back, with each dirty sector tagged by the class of what it
 * holds so that a flush writes data, then the FATs, then directories, with a
 * barrier between (docs/fat.md, "Write ordering"). */
#ifndef ANVIL_SERVICES_FATD_CACHE_H
#define ANVIL_SERVICES_FATD_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blk.h"

/* Flush order: a lower class reaches the disk first. */
enum cache_class { CACHE_DATA, CACHE_FAT, CACHE_DIR, CACHE_CLASSES };

struct cache_line {
    uint64_t sector;
    uint64_t used;                  /* LRU tick */
    uint8_t *data;
    struct cache_line *hnext;       /* hash chain */
    uint8_t cls;                    /* when dirty: the lowest class written into it */
    bool valid, dirty;
};

struct cache {
    struct blk *blk;
    uint32_t sector_size;
    size_t nlines, nbuckets;
    struct cache_line *lines;
    struct cache_line **buckets;
    uint64_t tick;
    uint64_t writes;                /* sectors written to the block source (tests) */
    uint8_t *run;                   /* a read-ahead run's bytes */
    uint8_t *wrun;                  /* a write run's (apart: a read-ahead's victims may flush) */
    struct cache_line **sorted;     /* a flush's dirty lines in sector order */
};

/* nlines sectors of sector_size bytes over b: 0 or -ENOMEM. */
int cache_init(struct cache *c, struct blk *b, uint32_t sector_size, size_t nlines);
void cache_free(struct cache *c);
/* The sector's bytes to read (valid until the next cache call), or NULL with
 * *err set. */
const uint8_t *cache_read(struct cache *c, uint64_t sector, int *err);
/* The sector's bytes to change, marked dirty in class cls; whole: the caller
 * overwrites all of it, so it is not read first. NULL with *err set. */
uint8_t *cache_write(struct cache *c, uint64_t sector, enum cache_class cls, bool whole, int *err);
/* Write every dirty sector, class by class, flushing the block source after
 * each class: 0 or the first -errno. */
int cache_flush(struct cache *c);

#endif
