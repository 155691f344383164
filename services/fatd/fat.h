/* services/fatd/fat.h: the FAT32 core: a mounted volume on a block source,
 * its nodes (files and directories, named by their directory entry), and the
 * operations a file server needs. No scheme and no paths here: the daemon
 * (fatd.h) and the host tests build on this. One thread, no locks. */
#ifndef ANVIL_SERVICES_FATD_FAT_H
#define ANVIL_SERVICES_FATD_FAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blk.h"
#include "cache.h"

struct meta_cache;

#define FAT_NAME_MAX 255        /* UTF-16 units in a long name (Microsoft FAT spec §7) */
#define FAT_NAME_BYTES 1020     /* the same name in UTF-8, at most */
#define FAT_ATTR_RO 0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_ARCHIVE 0x20
#define FAT_ATTR_LFN 0x0f       /* RO | HIDDEN | SYSTEM | VOLUME: a long-name entry */
#define FAT_FILE_MAX 0xffffffffULL   /* DIR_FileSize is 32 bits */
#define FAT_META_NAME "ANVMETA.TAB"  /* per-directory Unix metadata (meta.c) */

/* A file or directory. Files are known by where their entry is (parent, slot);
 * directories by their first cluster, which never changes. */
struct fat_node {
    uint32_t parent;        /* first cluster of the directory holding the entry (root: 0) */
    uint32_t slot;          /* index of its short entry in that directory */
    uint32_t first;         /* first cluster; 0 for an empty file */
    uint32_t size;          /* files: bytes */
    uint64_t ino;           /* st_ino, fixed while loaded (the kernel caches files by it) */
    uint8_t attr;
    int64_t mtime, atime, crtime;   /* Unix seconds (FAT keeps local time; Anvil's is UTC) */
    unsigned refs;
    bool gone;              /* its entry was removed while open: clusters go at the last put */
    uint32_t hint_index, hint_cluster;   /* the last cluster reached, for sequential I/O */
    uint32_t *map, map_len, map_cap;     /* the chain's first map_len clusters, in order:
                                            random access without walking from the start */
    struct fat_node *next;  /* the volume's list of loaded nodes */
};

struct fat_vol {
    struct blk *blk;
    struct cache cache;
    uint32_t bps;           /* bytes per sector */
    uint32_t spc;           /* sectors per cluster */
    uint32_t cluster_bytes;
    uint32_t fat_start;     /* first sector of the first FAT */
    uint32_t fat_sectors;   /* per FAT */
    uint32_t nfats;
    int active_fat;         /* -1: all FATs are mirrored */
    uint32_t data_start;    /* sector of cluster 2 */
    uint32_t max_cluster;   /* highest valid cluster number */
    uint32_t root_cluster;
    uint32_t fsinfo_sector; /* 0: none */
    uint32_t free_count;    /* kept exact from the mount's scan on */
    uint32_t next_free;     /* where allocation looks first */
    bool readonly;
    struct fat_node *root;
    struct fat_node *nodes;
    struct meta_cache *meta;    /* meta.c: per-directory Unix metadata tables */
};

/* What a directory scan finds: one visible entry. */
struct fat_found {
    char name[FAT_NAME_BYTES + 1];  /* the long name (UTF-8), else the short one */
    uint8_t short_name[11];
    uint32_t slot;          /* the short entry */
    uint32_t nslots;        /* long-name entries + 1 */
    uint32_t first, size;
    uint8_t attr;
    int64_t mtime, atime, crtime;
};

/* volume.c */
int fat_mount(struct blk *b, bool readonly, struct fat_vol **out);
/* Write everything back, mark the volume clean and free it: 0 or -errno. */
int fat_unmount(struct fat_vol *v);
/* Everything written so far reaches the disk (fsync): 0 or -errno. */
int fat_sync(struct fat_vol *v);
/* Whether the volume is marked in use (not cleanly unmounted). */
int fat_is_dirty(struct fat_vol *v, bool *dirty);

/* table.c: the file allocation table */
int fat_get(struct fat_vol *v, uint32_t cl, uint32_t *next);
int fat_set(struct fat_vol *v, uint32_t cl, uint32_t val);
bool fat_is_eoc(uint32_t val);
/* A free cluster, marked end of chain and linked after prev (0: none): 0 or -ENOSPC. */
int fat_alloc(struct fat_vol *v, uint32_t prev, uint32_t *out);
/* Free the chain starting at first. */
int fat_free_chain(struct fat_vol *v, uint32_t first);
/* The index-th cluster (0-based) of n's chain: 0, or -EIO on a broken chain. */
int fat_nth(struct fat_vol *v, struct fat_node *n, uint32_t index, uint32_t *cl);
/* n's chain was cut or started again: forget what fat_nth remembers of it. */
void fat_chain_forget(struct fat_node *n);
/* Count free clusters (mount). */
int fat_count_free(struct fat_vol *v, uint32_t *count);
uint64_t fat_cluster_sector(const struct fat_vol *v, uint32_t cl);

/* dir.c: directory entries */
/* The next visible entry of directory dir at or after *slot; *slot moves past
 * it. 1: found, 0: end, -errno. "." and ".." are included. */
int fat_dir_next(struct fat_vol *v, uint32_t dir, uint32_t *slot, struct fat_found *f);
/* name in dir (not "." or ".."; case-insensitive): 0, -ENOENT. */
int fat_dir_find(struct fat_vol *v, uint32_t dir, const char *name, struct fat_found *f);
/* Add an entry for name: long name and generated short name as needed. f: in
 * attr, first, size, times; out slot, nslots, short_name. */
int fat_dir_add(struct fat_vol *v, uint32_t dir, const char *name, struct fat_found *f);
/* Mark an entry's slots free. */
int fat_dir_remove(struct fat_vol *v, uint32_t dir, const struct fat_found *f);
/* Rewrite the short entry of n from its fields. */
int fat_dir_update(struct fat_vol *v, const struct fat_node *n);
/* Write "." and ".." into directory dir's new, zeroed first cluster. */
int fat_dir_init(struct fat_vol *v, uint32_t dir, uint32_t parent, int64_t now);
/* The first cluster of dir's parent (from its ".." entry; the root's is itself). */
int fat_dir_parent(struct fat_vol *v, uint32_t dir, uint32_t *parent);
/* Point directory dir's ".." at parent (after a move). */
int fat_dir_set_parent(struct fat_vol *v, uint32_t dir, uint32_t parent);
/* Whether dir holds nothing but ".", ".." and the metadata file. */
int fat_dir_empty(struct fat_vol *v, uint32_t dir, bool *empty);
/* Subdirectories of dir (for a link count). */
int fat_dir_subdirs(struct fat_vol *v, uint32_t dir, uint32_t *count);

/* node.c: nodes, file contents */
struct fat_node *fat_node_get(struct fat_vol *v, uint32_t parent, const struct fat_found *f,
                              int *err);
void fat_node_hold(struct fat_node *n);
int fat_node_put(struct fat_vol *v, struct fat_node *n);
/* Look name up in directory node dir: a held node, or NULL with *err set. */
struct fat_node *fat_lookup(struct fat_vol *v, struct fat_node *dir, const char *name, int *err);
/* A new file or directory (attr FAT_ATTR_DIR) called name in dir: held, or NULL. */
struct fat_node *fat_create(struct fat_vol *v, struct fat_node *dir, const char *name,
                            uint8_t attr, int64_t now, int *err);
/* Remove name from dir (a directory must be empty: -ENOTEMPTY). */
int fat_remove(struct fat_vol *v, struct fat_node *dir, const char *name);
/* Remove dir's metadata file (meta.c, when its table empties). */
int fat_remove_meta(struct fat_vol *v, struct fat_node *dir);
/* Move sname in sdir to dname in ddir, replacing what is there (checked by the caller). */
int fat_rename(struct fat_vol *v, struct fat_node *sdir, const char *sname,
               struct fat_node *ddir, const char *dname);
long fat_read(struct fat_vol *v, struct fat_node *n, void *buf, size_t len, uint64_t off);
long fat_write(struct fat_vol *v, struct fat_node *n, const void *buf, size_t len, uint64_t off,
               int64_t now);
int fat_truncate(struct fat_vol *v, struct fat_node *n, uint64_t size, int64_t now);
/* Set times (FAT_TIME_KEEP: leave as is) and write the entry. */
#define FAT_TIME_KEEP INT64_MIN
int fat_set_times(struct fat_vol *v, struct fat_node *n, int64_t mtime, int64_t atime);
/* A stable-while-it-exists inode number for stat and getdents. */
uint64_t fat_ino(const struct fat_vol *v, uint32_t parent, uint32_t slot, uint8_t attr,
                 uint32_t first);

/* name.c */
/* name is one a FAT directory can hold (not ".", "..", no / \ : * ? " < > |,
 * no control characters, no trailing dot or space, <= FAT_NAME_MAX units). */
bool fat_name_ok(const char *name);
/* FAT's case-insensitive match (ASCII letters fold; other bytes must be equal). */
bool fat_name_eq(const char *a, const char *b);

/* fattime.c */
void fat_time_pack(int64_t t, uint16_t *date, uint16_t *time);
int64_t fat_time_unpack(uint16_t date, uint16_t time);

#endif
