/* services/fatd/fileio.c: a file's bytes over its cluster chain: reading,
 * writing (growing the chain first, zeroing any gap), truncating. New data
 * goes out before the FAT entries and the directory entry that make it part
 * of the file (cache.h's classes), so a cut never shows garbage as content. */
#include <errno.h>
#include <string.h>

#include "fat.h"

#define ZERO_CHUNK 4096

static const uint8_t zeros[ZERO_CHUNK];

/* The sector holding byte off of n, and where in it off is. */
static int sector_of(struct fat_vol *v, struct fat_node *n, uint64_t off, uint64_t *sector,
                     uint32_t *in)
{
    uint32_t cl;
    int err;

    if ((err = fat_nth(v, n, (uint32_t)(off / v->cluster_bytes), &cl)) < 0)
        return err;
    *sector = fat_cluster_sector(v, cl) + off % v->cluster_bytes / v->bps;
    *in = (uint32_t)(off % v->bps);
    return 0;
}

long fat_read(struct fat_vol *v, struct fat_node *n, void *buf, size_t len, uint64_t off)
{
    size_t done = 0;

    if (off >= n->size)
        return 0;
    if (len > n->size - off)
        len = (size_t)(n->size - off);
    while (done < len) {
        const uint8_t *s;
        uint64_t sector;
        uint32_t in;
        size_t part;
        int err;
        if ((err = sector_of(v, n, off + done, &sector, &in)) < 0 ||
            !(s = cache_read(&v->cache, sector, &err)))
            return done ? (long)done : err;
        part = v->bps - in < len - done ? v->bps - in : len - done;
        memcpy((uint8_t *)buf + done, s + in, part);
        done += part;
    }
    return (long)done;
}

/* Make n's chain cover its first end bytes, reusing clusters already there. */
static int cover(struct fat_vol *v, struct fat_node *n, uint64_t end)
{
    uint32_t need = (uint32_t)((end + v->cluster_bytes - 1) / v->cluster_bytes), last, next;
    uint32_t have = n->size ? (uint32_t)((n->size - 1) / v->cluster_bytes) + 1 : 1;
    int err;

    if (need == 0)
        return 0;
    if (!n->first) {
        if ((err = fat_alloc(v, 0, &n->first)) < 0)
            return err;
        fat_chain_forget(n);
    }
    if ((err = fat_nth(v, n, have - 1, &last)) < 0)
        return err;
    for (uint32_t i = have; i < need; i++) {
        if ((err = fat_get(v, last, &next)) < 0)
            return err;
        if (fat_is_eoc(next) || next < 2 || next > v->max_cluster) {
            if ((err = fat_alloc(v, last, &next)) < 0)
                return err;
        }
        last = next;
        n->hint_index = i;
        n->hint_cluster = last;
    }
    return 0;
}

/* Copy len bytes of buf to n at off (the chain covers them). */
static int put(struct fat_vol *v, struct fat_node *n, const uint8_t *buf, size_t len, uint64_t off)
{
    size_t done = 0;

    while (done < len) {
        uint64_t sector;
        uint32_t in;
        size_t part;
        uint8_t *s;
        int err;
        if ((err = sector_of(v, n, off + done, &sector, &in)) < 0)
            return err;
        part = v->bps - in < len - done ? v->bps - in : len - done;
        if (!(s = cache_write(&v->cache, sector, CACHE_DATA, part == v->bps, &err)))
            return err;
        memcpy(s + in, buf ? buf + done : zeros, part);
        done += part;
    }
    return 0;
}

/* Zeros from n's end to end (a gap before a write, or truncate growing). */
static int fill_zeros(struct fat_vol *v, struct fat_node *n, uint64_t end)
{
    int err;

    while (n->size < end) {
        uint64_t part = end - n->size < ZERO_CHUNK ? end - n->size : ZERO_CHUNK;
        if ((err = cover(v, n, n->size + part)) < 0 || (err = put(v, n, NULL, part, n->size)) < 0)
            return err;
        n->size += (uint32_t)part;
    }
    return 0;
}

long fat_write(struct fat_vol *v, struct fat_node *n, const void *buf, size_t len, uint64_t off,
               int64_t now)
{
    int err;

    if (off >= FAT_FILE_MAX)
        return -EFBIG;
    if (len > FAT_FILE_MAX - off)
        len = (size_t)(FAT_FILE_MAX - off);   /* a short write up to the 4 GiB limit */
    if (len == 0)
        return 0;
    if ((err = fill_zeros(v, n, off)) < 0 || (err = cover(v, n, off + len)) < 0 ||
        (err = put(v, n, buf, len, off)) < 0)
        return err;
    if (off + len > n->size)
        n->size = (uint32_t)(off + len);
    n->mtime = now;
    n->attr |= FAT_ATTR_ARCHIVE;
    return (err = fat_dir_update(v, n)) < 0 ? err : (long)len;
}

/* Cut n's chain after its first size bytes. */
static int shrink(struct fat_vol *v, struct fat_node *n, uint64_t size)
{
    uint32_t keep = (uint32_t)((size + v->cluster_bytes - 1) / v->cluster_bytes), last, next;
    int err;

    fat_chain_forget(n);
    if (keep == 0) {
        last = n->first;
        n->first = 0;
        n->size = 0;
        /* the entry lets go of the chain before the chain is freed */
        if ((err = fat_dir_update(v, n)) < 0)
            return err;
        return last ? fat_free_chain(v, last) : 0;
    }
    if ((err = fat_nth(v, n, keep - 1, &last)) < 0 || (err = fat_get(v, last, &next)) < 0)
        return err;
    n->size = (uint32_t)size;
    if (fat_is_eoc(next))
        return 0;
    if ((err = fat_set(v, last, 0x0fffffff)) < 0)
        return err;
    return next >= 2 && next <= v->max_cluster ? fat_free_chain(v, next) : 0;
}

int fat_truncate(struct fat_vol *v, struct fat_node *n, uint64_t size, int64_t now)
{
    int err;

    if (size > FAT_FILE_MAX)
        return -EFBIG;
    if (n->attr & FAT_ATTR_DIR)
        return -EISDIR;
    if (size > n->size)
        err = fill_zeros(v, n, size);
    else
        err = n->first ? shrink(v, n, size) : 0;
    if (err < 0)
        return err;
    n->size = (uint32_t)size;
    n->mtime = now;
    n->attr |= FAT_ATTR_ARCHIVE;
    return fat_dir_update(v, n);
}
