/* services/fatd/table.c: the file allocation table: 28-bit entries, one per
 * cluster (spec §4), written to every FAT copy unless mirroring is off
 * (BPB_ExtFlags). Chains are walked with a bound so a looping chain on a
 * damaged disk is an error, never a hang. */
#include <errno.h>
#include <stdlib.h>

#include "fat.h"
#include "le.h"

#define ENTRY_MASK 0x0fffffffu
#define ENTRY_EOC 0x0ffffff8u      /* this and above: end of chain */
#define ENTRY_BYTES 4
#define FIRST_CLUSTER 2

bool fat_is_eoc(uint32_t val)
{
    return val >= ENTRY_EOC;
}

uint64_t fat_cluster_sector(const struct fat_vol *v, uint32_t cl)
{
    return v->data_start + (uint64_t)(cl - FIRST_CLUSTER) * v->spc;
}

static bool valid(const struct fat_vol *v, uint32_t cl)
{
    return cl >= FIRST_CLUSTER && cl <= v->max_cluster;
}

/* Sector and byte offset of cl's entry in FAT copy k. */
static uint64_t entry_sector(const struct fat_vol *v, uint32_t cl, uint32_t k, uint32_t *off)
{
    uint64_t byte = (uint64_t)cl * ENTRY_BYTES;

    *off = (uint32_t)(byte % v->bps);
    return v->fat_start + (uint64_t)k * v->fat_sectors + byte / v->bps;
}

int fat_get(struct fat_vol *v, uint32_t cl, uint32_t *next)
{
    uint32_t k = v->active_fat < 0 ? 0 : (uint32_t)v->active_fat, off;
    const uint8_t *s;
    int err;

    if (cl > v->max_cluster)
        return -EIO;
    if (!(s = cache_read(&v->cache, entry_sector(v, cl, k, &off), &err)))
        return err;
    *next = le32(s + off) & ENTRY_MASK;
    return 0;
}

int fat_set(struct fat_vol *v, uint32_t cl, uint32_t val)
{
    uint32_t off;
    uint8_t *s;
    int err;

    if (cl > v->max_cluster)
        return -EIO;
    for (uint32_t k = 0; k < v->nfats; k++) {
        if (v->active_fat >= 0 && k != (uint32_t)v->active_fat)
            continue;
        if (!(s = cache_write(&v->cache, entry_sector(v, cl, k, &off), CACHE_FAT, false, &err)))
            return err;
        /* the top four bits are reserved: keep them (spec §4) */
        put32(s + off, (le32(s + off) & ~ENTRY_MASK) | (val & ENTRY_MASK));
    }
    return 0;
}

int fat_alloc(struct fat_vol *v, uint32_t prev, uint32_t *out)
{
    uint32_t span = v->max_cluster - 1, cl = v->next_free, val;
    int err;

    if (v->free_count == 0)
        return -ENOSPC;
    for (uint32_t i = 0; i < span; i++, cl++) {
        if (!valid(v, cl))
            cl = FIRST_CLUSTER;
        if ((err = fat_get(v, cl, &val)) < 0)
            return err;
        if (val != 0)
            continue;
        if ((err = fat_set(v, cl, ENTRY_MASK)) < 0 || (prev && (err = fat_set(v, prev, cl)) < 0))
            return err;
        v->free_count--;
        v->next_free = cl + 1;
        *out = cl;
        return 0;
    }
    v->free_count = 0;   /* the count was wrong: nothing is free */
    return -ENOSPC;
}

int fat_free_chain(struct fat_vol *v, uint32_t first)
{
    uint32_t cl = first, next;
    int err;

    for (uint32_t steps = 0; valid(v, cl) && steps <= v->max_cluster; steps++) {
        if ((err = fat_get(v, cl, &next)) < 0)
            return err;
        if (next == 0)
            return 0;   /* already free: a broken chain ends here */
        if ((err = fat_set(v, cl, 0)) < 0)
            return err;
        v->free_count++;
        if (cl < v->next_free)
            v->next_free = cl;
        cl = next;
    }
    return 0;
}

void fat_chain_forget(struct fat_node *n)
{
    n->hint_cluster = 0;
    n->map_len = 0;
}

/* Room for one more cluster in n's map: false when memory is short. */
static bool map_room(struct fat_node *n)
{
    uint32_t cap = n->map_cap ? n->map_cap * 2 : 64;
    uint32_t *grown;

    if (n->map_len < n->map_cap)
        return true;
    if (!(grown = realloc(n->map, (size_t)cap * sizeof(*grown))))
        return false;
    n->map = grown;
    n->map_cap = cap;
    return true;
}

/* Extend n's map along the chain until it holds index: 0, -EIO (the chain
 * ends or breaks first, or loops), or 1 when memory is short (walk instead). */
static int map_to(struct fat_vol *v, struct fat_node *n, uint32_t index)
{
    uint32_t next;

    if (n->map_len == 0) {
        if (!valid(v, n->first))
            return -EIO;
        if (!map_room(n))
            return 1;
        n->map[n->map_len++] = n->first;
    }
    while (n->map_len <= index) {
        if (n->map_len > v->max_cluster || fat_get(v, n->map[n->map_len - 1], &next) < 0 ||
            !valid(v, next))
            return -EIO;
        if (!map_room(n))
            return 1;
        n->map[n->map_len++] = next;
    }
    return 0;
}

int fat_nth(struct fat_vol *v, struct fat_node *n, uint32_t index, uint32_t *cl)
{
    uint32_t at = 0, cur = n->first, next;
    int err = index < n->map_len ? 0 : map_to(v, n, index);

    if (err <= 0) {
        if (err == 0)
            *cl = n->map[index];
        return err;
    }

    if (n->hint_cluster && n->hint_index <= index) {
        at = n->hint_index;
        cur = n->hint_cluster;
    }
    for (; at < index; at++) {
        if (!valid(v, cur) || (err = fat_get(v, cur, &next)) < 0)
            return -EIO;
        if (!valid(v, next))
            return -EIO;   /* the chain ends (or breaks) before index */
        cur = next;
    }
    if (!valid(v, cur))
        return -EIO;
    n->hint_index = index;
    n->hint_cluster = cur;
    *cl = cur;
    return 0;
}

int fat_count_free(struct fat_vol *v, uint32_t *count)
{
    uint32_t n = 0, val;
    int err;

    for (uint32_t cl = FIRST_CLUSTER; cl <= v->max_cluster; cl++) {
        if ((err = fat_get(v, cl, &val)) < 0)
            return err;
        n += val == 0;
    }
    *count = n;
    return 0;
}
