/* services/fatd/dir.c: directories: scanning entries with their long names,
 * finding a name, adding an entry (long name + unique short alias), removing
 * one, rewriting a short entry, and the "." and ".." of subdirectories. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dirent.h"
#include "le.h"
#include "name.h"

/* Long-name entries seen so far, waiting for their short entry. */
struct lfn {
    uint16_t units[LFN_MAX_ENTRIES * LFN_CHARS];
    int count, expect;      /* entries in the set; the ordinal still to come */
    uint8_t sum;
};

/* Offsets of a long-name entry's 13 UTF-16 characters. */
static const uint8_t lfn_offsets[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

static void lfn_take(struct lfn *l, const uint8_t *ent)
{
    int ord = ent[LFN_ORD] & LFN_ORD_MASK;

    if (ent[LFN_ORD] & LFN_LAST) {
        if (ord == 0 || ord > LFN_MAX_ENTRIES) {
            l->expect = -1;
            return;
        }
        l->count = l->expect = ord;
        l->sum = ent[LFN_CHKSUM];
        memset(l->units, 0, sizeof l->units);
    } else if (ord != l->expect || ent[LFN_CHKSUM] != l->sum) {
        l->expect = -1;   /* out of order or another set's: ignore the set */
        return;
    }
    if (l->expect <= 0)
        return;
    for (int i = 0; i < LFN_CHARS; i++)
        l->units[(ord - 1) * LFN_CHARS + i] = le16(ent + lfn_offsets[i]);
    l->expect--;
}

/* The long name for short entry ent, if a complete, matching set precedes it. */
static bool lfn_name(const struct lfn *l, const uint8_t *ent, char *out, size_t cap)
{
    size_t n = 0, max = (size_t)l->count * LFN_CHARS;

    if (l->expect != 0 || l->count == 0 || l->sum != name_checksum(ent + DE_NAME))
        return false;
    while (n < max && l->units[n] != 0)
        n++;
    return n > 0 && name_from_ucs2(l->units, n, out, cap) == 0;
}

static void found_fill(struct fat_found *f, const uint8_t *ent, uint32_t slot)
{
    f->slot = slot;
    memcpy(f->short_name, ent + DE_NAME, 11);
    f->attr = ent[DE_ATTR];
    f->first = dirent_cluster(ent);
    f->size = f->attr & FAT_ATTR_DIR ? 0 : le32(ent + DE_SIZE_OFF);
    f->mtime = fat_time_unpack(le16(ent + DE_WRT_DATE), le16(ent + DE_WRT_TIME));
    f->atime = fat_time_unpack(le16(ent + DE_ACC_DATE), 0);
    f->crtime = fat_time_unpack(le16(ent + DE_CRT_DATE), le16(ent + DE_CRT_TIME));
}

int fat_dir_next(struct fat_vol *v, uint32_t dir, uint32_t *slot, struct fat_found *f)
{
    struct lfn l = {.expect = -1};
    uint8_t ent[DE_SIZE];
    int r;

    for (uint32_t s = *slot;; s++) {
        if ((r = dirslot_read(v, dir, s, ent)) != 0)
            return r < 0 ? r : 0;
        if (ent[DE_NAME] == DE_END)
            return 0;
        if (ent[DE_NAME] == DE_FREE) {
            l.expect = -1;
        } else if ((ent[DE_ATTR] & DE_ATTR_MASK) == FAT_ATTR_LFN) {
            lfn_take(&l, ent);
        } else if (ent[DE_ATTR] & FAT_ATTR_VOLUME) {
            l.expect = -1;
        } else {
            found_fill(f, ent, s);
            f->nslots = lfn_name(&l, ent, f->name, sizeof f->name) ? (uint32_t)l.count + 1 : 1;
            if (f->nslots == 1)
                name_short_show(ent + DE_NAME, ent[DE_NTRES], f->name);
            *slot = s + 1;
            return 1;
        }
    }
}

static bool is_dot(const char *name)
{
    return !strcmp(name, ".") || !strcmp(name, "..");
}

int fat_dir_find(struct fat_vol *v, uint32_t dir, const char *name, struct fat_found *f)
{
    uint32_t slot = 0;
    char alias[13];
    int r;

    while ((r = fat_dir_next(v, dir, &slot, f)) > 0) {
        if (is_dot(f->name))
            continue;
        name_short_show(f->short_name, 0, alias);
        if (fat_name_eq(f->name, name) || fat_name_eq(alias, name))
            return 0;
    }
    return r < 0 ? r : -ENOENT;
}

/* Whether sn is some entry's short name in dir: 1, 0, or -errno. */
static int short_taken(struct fat_vol *v, uint32_t dir, const uint8_t sn[11])
{
    struct fat_found f;
    uint32_t slot = 0;
    int r;

    while ((r = fat_dir_next(v, dir, &slot, &f)) > 0)
        if (!memcmp(f.short_name, sn, 11))
            return 1;
    return r;
}

/* A short alias for a name that needs a long one: the basis with the first
 * free numeric tail (spec §7.2). */
static int make_alias(struct fat_vol *v, uint32_t dir, const char *name, uint8_t sn[11])
{
    uint8_t basis[11];
    int r;

    name_short_basis(name, basis);
    for (unsigned n = 1; n < 1000000; n++) {
        name_short_tail(basis, n, sn);
        if ((r = short_taken(v, dir, sn)) <= 0)
            return r;
    }
    return -ENOSPC;
}

/* Grow dir until its chain holds slot. */
static int reach(struct fat_vol *v, uint32_t dir, uint32_t slot)
{
    uint8_t ent[DE_SIZE];
    int r;

    while ((r = dirslot_read(v, dir, slot, ent)) == 1)
        if ((r = dirslot_grow(v, dir)) < 0)
            return r;
    return r;
}

/* The first run of n free slots (growing the directory as needed). */
static int free_run(struct fat_vol *v, uint32_t dir, uint32_t n, uint32_t *start, bool *at_end)
{
    uint32_t run = 0;
    uint8_t ent[DE_SIZE];
    int r;

    for (uint32_t s = 0; s < DE_MAX_SLOTS; s++) {
        if ((r = dirslot_read(v, dir, s, ent)) < 0)
            return r;
        if (r == 1) {
            if ((r = dirslot_grow(v, dir)) < 0)
                return r;
            ent[DE_NAME] = DE_END;   /* a fresh zeroed cluster */
        }
        if (ent[DE_NAME] == DE_END) {
            *start = s - run;
            *at_end = true;
            return s - run + n <= DE_MAX_SLOTS ? reach(v, dir, s - run + n - 1) : -ENOSPC;
        }
        run = ent[DE_NAME] == DE_FREE ? run + 1 : 0;
        if (run == n) {
            *start = s + 1 - n;
            *at_end = false;
            return 0;
        }
    }
    return -ENOSPC;
}

/* Write the long-name entries for units (count of them) before slot short_slot. */
static int put_lfn(struct fat_vol *v, uint32_t dir, const uint16_t *units, int len,
                   uint32_t first_slot, int entries, uint8_t sum)
{
    uint8_t *e;
    int err;

    for (int k = 0; k < entries; k++) {
        int ord = entries - k;   /* the last part of the name comes first */
        if (!(e = dirslot_write(v, dir, first_slot + (uint32_t)k, CACHE_DIR, &err)))
            return err;
        memset(e, 0, DE_SIZE);
        e[LFN_ORD] = (uint8_t)(ord | (k == 0 ? LFN_LAST : 0));
        e[DE_ATTR] = FAT_ATTR_LFN;
        e[LFN_CHKSUM] = sum;
        for (int i = 0; i < LFN_CHARS; i++) {
            int at = (ord - 1) * LFN_CHARS + i;
            put16(e + lfn_offsets[i], at < len ? units[at] : at == len ? 0 : 0xffff);
        }
    }
    return 0;
}

/* After a run taken from the never-used tail, the next slot must still end
 * the directory (a cluster's leftovers must not look like entries). */
static int keep_end(struct fat_vol *v, uint32_t dir, uint32_t slot)
{
    uint8_t *e;
    int err;

    if (!(e = dirslot_write(v, dir, slot, CACHE_DIR, &err)))
        return err == -ENOENT ? 0 : err;
    e[DE_NAME] = DE_END;
    return 0;
}

int fat_dir_add(struct fat_vol *v, uint32_t dir, const char *name, struct fat_found *f)
{
    uint16_t units[FAT_NAME_MAX];
    uint8_t ntres = 0, *e;
    int len = 0, entries = 0, err;
    bool at_end;
    uint32_t start;

    if (!name_short_exact(name, f->short_name, &ntres)) {
        if ((len = name_to_ucs2(name, units, FAT_NAME_MAX)) <= 0)
            return -EINVAL;
        entries = (len + LFN_CHARS - 1) / LFN_CHARS;
        if ((err = make_alias(v, dir, name, f->short_name)) < 0)
            return err;
    }
    if ((err = free_run(v, dir, (uint32_t)entries + 1, &start, &at_end)) < 0)
        return err;
    if (at_end && (err = keep_end(v, dir, start + (uint32_t)entries + 1)) < 0)
        return err;
    if ((err = put_lfn(v, dir, units, len, start, entries, name_checksum(f->short_name))) < 0)
        return err;
    if (!(e = dirslot_write(v, dir, start + (uint32_t)entries, CACHE_DIR, &err)))
        return err;
    dirent_pack(e, f, ntres);
    f->slot = start + (uint32_t)entries;
    f->nslots = (uint32_t)entries + 1;
    return 0;
}

int fat_dir_remove(struct fat_vol *v, uint32_t dir, const struct fat_found *f)
{
    uint8_t *e;
    int err;

    for (uint32_t s = f->slot + 1 - f->nslots; s <= f->slot; s++) {
        if (!(e = dirslot_write(v, dir, s, CACHE_DIR, &err)))
            return err;
        e[DE_NAME] = DE_FREE;
    }
    return 0;
}

int fat_dir_update(struct fat_vol *v, const struct fat_node *n)
{
    uint16_t d, t;
    uint8_t *e;
    int err;

    if (n == v->root || n->gone)
        return 0;   /* the root has no entry; a removed file none any more */
    if (!(e = dirslot_write(v, n->parent, n->slot, CACHE_DIR, &err)))
        return err;
    e[DE_ATTR] = n->attr;
    put16(e + DE_CLUS_HI, (uint16_t)(n->first >> 16));
    put16(e + DE_CLUS_LO, (uint16_t)n->first);
    put32(e + DE_SIZE_OFF, n->attr & FAT_ATTR_DIR ? 0 : n->size);
    fat_time_pack(n->mtime, &d, &t);
    put16(e + DE_WRT_TIME, t);
    put16(e + DE_WRT_DATE, d);
    fat_time_pack(n->atime, &d, &t);
    put16(e + DE_ACC_DATE, d);
    return 0;
}
