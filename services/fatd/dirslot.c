/* services/fatd/dirslot.c: a directory as an array of 32-byte slots over its
 * cluster chain: finding a slot's sector (with a memo of the last cluster, so
 * a scan is linear), growing a directory, packing short entries. */
#include <errno.h>
#include <string.h>

#include "dirent.h"
#include "le.h"

/* The last cluster found: scans walk forward from it instead of the start. */
static struct {
    struct fat_vol *v;
    uint32_t dir, index, cl;
} memo;

/* The index-th cluster of dir's chain: 0, 1 past the end, or -errno. */
static int dir_cluster(struct fat_vol *v, uint32_t dir, uint32_t index, uint32_t *cl)
{
    uint32_t at = 0, cur = dir, next;
    int err;

    if (memo.v == v && memo.dir == dir && memo.index <= index) {
        at = memo.index;
        cur = memo.cl;
    }
    for (; at < index; at++) {
        if ((err = fat_get(v, cur, &next)) < 0)
            return err;
        if (fat_is_eoc(next))
            return 1;
        if (next < 2 || next > v->max_cluster)
            return -EIO;
        cur = next;
    }
    memo.v = v, memo.dir = dir, memo.index = index, memo.cl = cur;
    *cl = cur;
    return 0;
}

/* Sector and offset of a slot: 0, 1 past the end, or -errno. */
static int locate(struct fat_vol *v, uint32_t dir, uint32_t slot, uint64_t *sector, uint32_t *off)
{
    uint64_t byte = (uint64_t)slot * DE_SIZE;
    uint32_t cl;
    int r;

    if (slot >= DE_MAX_SLOTS)
        return 1;
    if ((r = dir_cluster(v, dir, (uint32_t)(byte / v->cluster_bytes), &cl)) != 0)
        return r;
    byte %= v->cluster_bytes;
    *sector = fat_cluster_sector(v, cl) + byte / v->bps;
    *off = (uint32_t)(byte % v->bps);
    return 0;
}

void dirslot_forget(void)
{
    memo.v = NULL;
}

int dirslot_read(struct fat_vol *v, uint32_t dir, uint32_t slot, uint8_t ent[DE_SIZE])
{
    const uint8_t *s;
    uint64_t sector;
    uint32_t off;
    int r = locate(v, dir, slot, &sector, &off), err;

    if (r != 0)
        return r;
    if (!(s = cache_read(&v->cache, sector, &err)))
        return err;
    memcpy(ent, s + off, DE_SIZE);
    return 0;
}

uint8_t *dirslot_write(struct fat_vol *v, uint32_t dir, uint32_t slot, enum cache_class cls,
                       int *err)
{
    uint64_t sector;
    uint32_t off;
    uint8_t *s;
    int r = locate(v, dir, slot, &sector, &off);

    if (r != 0) {
        *err = r < 0 ? r : -ENOENT;
        return NULL;
    }
    return (s = cache_write(&v->cache, sector, cls, false, err)) ? s + off : NULL;
}

int dirslot_zero(struct fat_vol *v, uint32_t cl)
{
    uint64_t first = fat_cluster_sector(v, cl);
    uint8_t *s;
    int err;

    for (uint32_t i = 0; i < v->spc; i++) {
        if (!(s = cache_write(&v->cache, first + i, CACHE_DATA, true, &err)))
            return err;
        memset(s, 0, v->bps);
    }
    return 0;
}

int dirslot_grow(struct fat_vol *v, uint32_t dir)
{
    uint32_t index = 0, last = dir, cl;
    int r;

    while ((r = dir_cluster(v, dir, index + 1, &cl)) == 0) {
        last = cl;
        index++;
    }
    if (r < 0)
        return r;
    if ((uint64_t)(index + 2) * v->cluster_bytes > (uint64_t)DE_MAX_SLOTS * DE_SIZE)
        return -ENOSPC;
    /* allocate unlinked, zero, then link: the FAT never points at garbage */
    if ((r = fat_alloc(v, 0, &cl)) < 0)
        return r;
    if ((r = dirslot_zero(v, cl)) < 0 || (r = fat_set(v, last, cl)) < 0)
        return r;
    memo.v = NULL;
    return 0;
}

void dirent_pack(uint8_t ent[DE_SIZE], const struct fat_found *f, uint8_t ntres)
{
    uint16_t d, t;

    memset(ent, 0, DE_SIZE);
    memcpy(ent + DE_NAME, f->short_name, 11);
    ent[DE_ATTR] = f->attr;
    ent[DE_NTRES] = ntres;
    fat_time_pack(f->crtime, &d, &t);
    put16(ent + DE_CRT_TIME, t);
    put16(ent + DE_CRT_DATE, d);
    fat_time_pack(f->atime, &d, &t);
    put16(ent + DE_ACC_DATE, d);
    fat_time_pack(f->mtime, &d, &t);
    put16(ent + DE_WRT_TIME, t);
    put16(ent + DE_WRT_DATE, d);
    put16(ent + DE_CLUS_HI, (uint16_t)(f->first >> 16));
    put16(ent + DE_CLUS_LO, (uint16_t)f->first);
    put32(ent + DE_SIZE_OFF, f->attr & FAT_ATTR_DIR ? 0 : f->size);
}

uint32_t dirent_cluster(const uint8_t ent[DE_SIZE])
{
    return (uint32_t)le16(ent + DE_CLUS_HI) << 16 | le16(ent + DE_CLUS_LO);
}
