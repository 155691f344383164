/* services/fatd/volume.c: mounting a FAT32 volume: the boot sector's BPB
 * (Microsoft FAT spec §3), FSInfo (§5), and the "volume in use" marks: FAT[1]'s
 * clean-shutdown bit (§4) and the boot sector's dirty flag (what Linux and
 * fsck.fat look at), set at mount and cleared only after a clean unmount. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fat.h"
#include "le.h"
#include "meta.h"

#define BOOT_SIG_OFF 510
#define BOOT_SIG 0xaa55
#define BPB_BYTS_PER_SEC 11
#define BPB_SEC_PER_CLUS 13
#define BPB_RSVD_SEC_CNT 14
#define BPB_NUM_FATS 16
#define BPB_ROOT_ENT_CNT 17
#define BPB_TOT_SEC16 19
#define BPB_FAT_SZ16 22
#define BPB_TOT_SEC32 32
#define BPB_FAT_SZ32 36
#define BPB_EXT_FLAGS 40
#define BPB_FS_VER 42
#define BPB_ROOT_CLUS 44
#define BPB_FS_INFO 48
#define BS_STATE 65                  /* BS_Reserved1: Windows NT / Linux state flags */
#define BS_STATE_DIRTY 0x01          /* Linux fs/fat: FAT_STATE_DIRTY */
#define EXT_NO_MIRROR 0x80
#define EXT_ACTIVE_MASK 0x0f
#define FAT1_CLEAN 0x08000000u       /* ClnShutBitMask */
#define FSI_LEAD 0
#define FSI_LEAD_SIG 0x41615252u
#define FSI_STRUC 484
#define FSI_STRUC_SIG 0x61417272u
#define FSI_FREE 488
#define FSI_NEXT 492
#define FSI_TRAIL 508
#define FSI_TRAIL_SIG 0xaa550000u
#define CACHE_BYTES (1024 * 1024)
#define MIN_SECTOR 512
#define MAX_SECTOR 4096

/* Check the BPB and fill v's geometry: 0 or -EINVAL. */
static int parse_bpb(struct fat_vol *v, const uint8_t *b, uint64_t dev_bytes)
{
    uint32_t bps = le16(b + BPB_BYTS_PER_SEC), spc = b[BPB_SEC_PER_CLUS];
    uint32_t rsvd = le16(b + BPB_RSVD_SEC_CNT), nfats = b[BPB_NUM_FATS];
    uint32_t tot = le16(b + BPB_TOT_SEC16) ? le16(b + BPB_TOT_SEC16) : le32(b + BPB_TOT_SEC32);
    uint32_t fatsz = le32(b + BPB_FAT_SZ32), ext = le16(b + BPB_EXT_FLAGS);
    uint64_t meta, clusters;

    if (le16(b + BOOT_SIG_OFF) != BOOT_SIG || bps < MIN_SECTOR || bps > MAX_SECTOR ||
        (bps & (bps - 1)) || spc == 0 || (spc & (spc - 1)) || rsvd == 0 || nfats == 0)
        return -EINVAL;
    /* FAT32 only: no fixed root directory, a 32-bit FAT size, version 0.0 */
    if (le16(b + BPB_ROOT_ENT_CNT) || le16(b + BPB_FAT_SZ16) || fatsz == 0 ||
        le16(b + BPB_FS_VER))
        return -EINVAL;
    meta = rsvd + (uint64_t)nfats * fatsz;
    if (meta >= tot || (uint64_t)tot * bps > dev_bytes)
        return -EINVAL;
    clusters = (tot - meta) / spc;
    if (clusters < 1 || clusters + 2 > (uint64_t)fatsz * bps / 4 || clusters > 0x0ffffff5)
        return -EINVAL;
    *v = (struct fat_vol){
        .bps = bps, .spc = spc, .cluster_bytes = bps * spc, .fat_start = rsvd,
        .fat_sectors = fatsz, .nfats = nfats, .data_start = (uint32_t)meta,
        .max_cluster = (uint32_t)clusters + 1, .root_cluster = le32(b + BPB_ROOT_CLUS),
        .fsinfo_sector = le16(b + BPB_FS_INFO),
        .active_fat = (ext & EXT_NO_MIRROR) ? (int)(ext & EXT_ACTIVE_MASK) : -1,
    };
    if (v->active_fat >= (int)nfats || v->root_cluster < 2 || v->root_cluster > v->max_cluster)
        return -EINVAL;
    if (v->fsinfo_sector == 0 || v->fsinfo_sector >= rsvd || v->fsinfo_sector == 0xffff)
        v->fsinfo_sector = 0;
    return 0;
}

/* FSInfo's next-free hint, when the sector is a valid FSInfo. */
static void read_fsinfo(struct fat_vol *v)
{
    const uint8_t *s;
    uint32_t next;
    int err;

    v->next_free = 2;
    if (!v->fsinfo_sector || !(s = cache_read(&v->cache, v->fsinfo_sector, &err)))
        return;
    if (le32(s + FSI_LEAD) != FSI_LEAD_SIG || le32(s + FSI_STRUC) != FSI_STRUC_SIG)
        v->fsinfo_sector = 0;   /* not one: never written either */
    else if ((next = le32(s + FSI_NEXT)) >= 2 && next <= v->max_cluster)
        v->next_free = next;
}

static int write_fsinfo(struct fat_vol *v)
{
    uint8_t *s;
    int err;

    if (!v->fsinfo_sector || v->readonly)
        return 0;
    if (!(s = cache_write(&v->cache, v->fsinfo_sector, CACHE_DIR, false, &err)))
        return err;
    put32(s + FSI_FREE, v->free_count);
    put32(s + FSI_NEXT, v->next_free);
    put32(s + FSI_TRAIL, FSI_TRAIL_SIG);
    return 0;
}

/* Mark the volume in use (dirty) or cleanly unmounted, in FAT[1] and in the
 * boot sector, and put the marks on the disk. */
static int mark(struct fat_vol *v, bool dirty)
{
    uint32_t fat1;
    uint8_t *boot;
    int err;

    if ((err = fat_get(v, 1, &fat1)) < 0)
        return err;
    fat1 = dirty ? fat1 & ~FAT1_CLEAN : fat1 | FAT1_CLEAN;
    if ((err = fat_set(v, 1, fat1)) < 0)
        return err;
    if (!(boot = cache_write(&v->cache, 0, CACHE_DIR, false, &err)))
        return err;
    boot[BS_STATE] = (uint8_t)(dirty ? boot[BS_STATE] | BS_STATE_DIRTY
                                     : boot[BS_STATE] & ~BS_STATE_DIRTY);
    return cache_flush(&v->cache);
}

int fat_is_dirty(struct fat_vol *v, bool *dirty)
{
    const uint8_t *boot;
    uint32_t fat1;
    int err;

    if ((err = fat_get(v, 1, &fat1)) < 0 || !(boot = cache_read(&v->cache, 0, &err)))
        return err;
    *dirty = !(fat1 & FAT1_CLEAN) || (boot[BS_STATE] & BS_STATE_DIRTY);
    return 0;
}

static int root_node(struct fat_vol *v)
{
    if (!(v->root = calloc(1, sizeof(*v->root))))
        return -ENOMEM;
    *v->root = (struct fat_node){.first = v->root_cluster, .attr = FAT_ATTR_DIR, .refs = 1};
    return 0;
}

static void vol_free(struct fat_vol *v)
{
    struct fat_node *n = v->nodes;

    while (n) {
        struct fat_node *next = n->next;
        free(n->map);
        free(n);
        n = next;
    }
    meta_free(v);
    free(v->root);
    cache_free(&v->cache);
    free(v);
}

int fat_mount(struct blk *b, bool readonly, struct fat_vol **out)
{
    uint8_t boot[MIN_SECTOR];
    struct fat_vol *v = calloc(1, sizeof(*v));
    int err;

    if (!v)
        return -ENOMEM;
    if ((err = b->ops->read(b, 0, boot, sizeof boot)) < 0 ||
        (err = parse_bpb(v, boot, b->size)) < 0) {
        free(v);
        return err;
    }
    v->blk = b;
    v->readonly = readonly || b->readonly;
    if ((err = cache_init(&v->cache, b, v->bps, CACHE_BYTES / v->bps)) < 0)
        goto fail;
    v->cache.blk->readonly = v->readonly;
    read_fsinfo(v);
    if ((err = fat_count_free(v, &v->free_count)) < 0 || (err = root_node(v)) < 0)
        goto fail;
    if (!v->readonly && (err = mark(v, true)) < 0)
        goto fail;
    *out = v;
    return 0;
fail:
    vol_free(v);
    return err;
}

int fat_sync(struct fat_vol *v)
{
    int err;

    if (v->readonly)
        return 0;
    if ((err = write_fsinfo(v)) < 0)
        return err;
    return cache_flush(&v->cache);
}

int fat_unmount(struct fat_vol *v)
{
    int err = 0;

    if (!v->readonly && (err = fat_sync(v)) == 0)
        err = mark(v, false);
    vol_free(v);
    return err;
}
