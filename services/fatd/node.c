/* services/fatd/node.c: nodes (files and directories in use) and the
 * operations that name them: lookup, create, remove, rename. A node lives
 * while it is held; one removed while held keeps its clusters until the last
 * put, as POSIX wants for an unlinked open file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dirent.h"
#include "fat.h"
#include "meta.h"

#define SLOT_BITS 16
#define CLUSTER_BITS 28             /* FAT32 cluster numbers (fatgen103 §4) */
#define INO_FILE (1ULL << (SLOT_BITS + CLUSTER_BITS))   /* files: above cluster << 16 | slot */
#define INO_SPARE (INO_FILE << 1)   /* a file whose place another loaded node's number holds */

static bool same(const struct fat_node *n, uint32_t parent, const struct fat_found *f)
{
    if (n->gone)
        return false;
    if (f->attr & FAT_ATTR_DIR)
        return (n->attr & FAT_ATTR_DIR) && n->first == f->first;
    return !(n->attr & FAT_ATTR_DIR) && n->parent == parent && n->slot == f->slot;
}

static struct fat_node *loaded(struct fat_vol *v, uint32_t parent, const struct fat_found *f)
{
    for (struct fat_node *n = v->nodes; n; n = n->next)
        if (same(n, parent, f))
            return n;
    return NULL;
}

/* The number a node keeps while loaded: its place's, unless a loaded node
 * (removed or renamed while open) already has that one. The kernel's file
 * cache keys pages by st_ino, so two loaded files must never share one. */
static uint64_t node_ino(struct fat_vol *v, uint64_t ino)
{
    static uint64_t spare;

    for (struct fat_node *n = v->nodes; n; n = n->next)
        if (n->ino == ino)
            return INO_SPARE | ++spare;
    return ino;
}

struct fat_node *fat_node_get(struct fat_vol *v, uint32_t parent, const struct fat_found *f,
                              int *err)
{
    struct fat_node *n;

    if ((f->attr & FAT_ATTR_DIR) && (f->first == v->root_cluster || f->first == 0))
        return v->root;   /* ".." of a top-level directory */
    if ((n = loaded(v, parent, f))) {
        n->refs++;
        return n;
    }
    if (!(n = calloc(1, sizeof(*n)))) {
        *err = -ENOMEM;
        return NULL;
    }
    *n = (struct fat_node){.parent = parent, .slot = f->slot, .first = f->first,
                           .size = f->size, .attr = f->attr, .mtime = f->mtime,
                           .atime = f->atime, .crtime = f->crtime, .refs = 1, .next = v->nodes};
    n->ino = node_ino(v, fat_ino(v, parent, f->slot, f->attr, f->first));
    v->nodes = n;
    return n;
}

void fat_node_hold(struct fat_node *n)
{
    n->refs++;
}

int fat_node_put(struct fat_vol *v, struct fat_node *n)
{
    struct fat_node **at = &v->nodes;
    int err = 0;

    if (n == v->root || --n->refs > 0)
        return 0;
    while (*at && *at != n)
        at = &(*at)->next;
    if (*at)
        *at = n->next;
    if (n->gone && n->first)
        err = fat_free_chain(v, n->first);
    free(n->map);
    free(n);
    return err;
}

uint64_t fat_ino(const struct fat_vol *v, uint32_t parent, uint32_t slot, uint8_t attr,
                 uint32_t first)
{
    if (attr & FAT_ATTR_DIR)
        return first ? first : v->root_cluster;
    return INO_FILE | (uint64_t)parent << SLOT_BITS | slot;
}

struct fat_node *fat_lookup(struct fat_vol *v, struct fat_node *dir, const char *name, int *err)
{
    struct fat_found f;

    if (!(dir->attr & FAT_ATTR_DIR)) {
        *err = -ENOTDIR;
        return NULL;
    }
    if (fat_name_eq(name, FAT_META_NAME)) {
        *err = -ENOENT;   /* the metadata file is the file system's, not a client's */
        return NULL;
    }
    if ((*err = fat_dir_find(v, dir->first, name, &f)) < 0)
        return NULL;
    return fat_node_get(v, dir->first, &f, err);
}

static int touch_dir(struct fat_vol *v, struct fat_node *dir, int64_t now)
{
    dir->mtime = now;
    return fat_dir_update(v, dir);
}

/* A new directory's cluster, zeroed, with "." and "..": written as data, so
 * it is on the disk before the entry that names it. */
static int new_dir_cluster(struct fat_vol *v, uint32_t parent, int64_t now, uint32_t *cl)
{
    int err;

    if ((err = fat_alloc(v, 0, cl)) < 0)
        return err;
    if ((err = dirslot_zero(v, *cl)) < 0 || (err = fat_dir_init(v, *cl, parent, now)) < 0) {
        fat_free_chain(v, *cl);
        return err;
    }
    return 0;
}

struct fat_node *fat_create(struct fat_vol *v, struct fat_node *dir, const char *name,
                            uint8_t attr, int64_t now, int *err)
{
    struct fat_found f = {.attr = attr, .mtime = now, .atime = now, .crtime = now};

    if (!fat_name_ok(name) || fat_name_eq(name, FAT_META_NAME)) {
        *err = fat_name_ok(name) ? -EPERM : -EINVAL;
        return NULL;
    }
    if ((*err = fat_dir_find(v, dir->first, name, &f)) != -ENOENT) {
        *err = *err == 0 ? -EEXIST : *err;
        return NULL;
    }
    f.attr = attr;
    f.first = 0;
    f.size = 0;
    if ((attr & FAT_ATTR_DIR) && (*err = new_dir_cluster(v, dir->first, now, &f.first)) < 0)
        return NULL;
    if ((*err = fat_dir_add(v, dir->first, name, &f)) < 0) {
        if (f.first)
            fat_free_chain(v, f.first);
        return NULL;
    }
    if ((*err = touch_dir(v, dir, now)) < 0)
        return NULL;
    return fat_node_get(v, dir->first, &f, err);
}

/* Free what an entry held: now, or at the last put of its node. */
static int drop_meta(struct fat_vol *v, uint32_t dir);

static int release(struct fat_vol *v, uint32_t parent, const struct fat_found *f)
{
    struct fat_node *n = loaded(v, parent, f);

    if (f->attr & FAT_ATTR_DIR) {
        dirslot_forget();
        meta_forget(v, f->first);
    }
    if (n) {
        n->gone = true;
        return 0;
    }
    return f->first ? fat_free_chain(v, f->first) : 0;
}

int fat_remove_meta(struct fat_vol *v, struct fat_node *dir)
{
    return drop_meta(v, dir->first);
}

/* An empty directory's metadata file goes with it. */
static int drop_meta(struct fat_vol *v, uint32_t dir)
{
    struct fat_found m;
    int err = fat_dir_find(v, dir, FAT_META_NAME, &m);

    if (err == -ENOENT)
        return 0;
    if (err < 0 || (err = fat_dir_remove(v, dir, &m)) < 0)
        return err;
    return release(v, dir, &m);
}

int fat_remove(struct fat_vol *v, struct fat_node *dir, const char *name)
{
    struct fat_found f;
    bool empty;
    int err;

    if ((err = fat_dir_find(v, dir->first, name, &f)) < 0)
        return err;
    if (f.attr & FAT_ATTR_DIR) {
        if ((err = fat_dir_empty(v, f.first, &empty)) < 0)
            return err;
        if (!empty)
            return -ENOTEMPTY;
        if ((err = drop_meta(v, f.first)) < 0)
            return err;
    }
    if ((err = fat_dir_remove(v, dir->first, &f)) < 0 || (err = release(v, dir->first, &f)) < 0)
        return err;
    return touch_dir(v, dir, dir->mtime);
}

int fat_rename(struct fat_vol *v, struct fat_node *sdir, const char *sname,
               struct fat_node *ddir, const char *dname)
{
    struct fat_found f, nf;
    struct fat_node *n;
    int err;

    if (!fat_name_ok(dname) || fat_name_eq(dname, FAT_META_NAME))
        return fat_name_ok(dname) ? -EPERM : -EINVAL;
    if ((err = fat_dir_find(v, sdir->first, sname, &f)) < 0)
        return err;
    n = loaded(v, sdir->first, &f);
    nf = f;
    /* the new name first: a cut between leaves two names, which fsck.fat
     * repairs, rather than none, which loses the file */
    if ((err = fat_dir_add(v, ddir->first, dname, &nf)) < 0)
        return err;
    if ((err = fat_dir_remove(v, sdir->first, &f)) < 0)
        return err;
    if ((f.attr & FAT_ATTR_DIR) && sdir != ddir &&
        (err = fat_dir_set_parent(v, f.first, ddir->first)) < 0)
        return err;
    if (n) {
        n->parent = ddir->first;
        n->slot = nf.slot;
    }
    if ((err = touch_dir(v, sdir, sdir->mtime)) < 0)
        return err;
    return touch_dir(v, ddir, ddir->mtime);
}

int fat_set_times(struct fat_vol *v, struct fat_node *n, int64_t mtime, int64_t atime)
{
    if (mtime != FAT_TIME_KEEP)
        n->mtime = mtime;
    if (atime != FAT_TIME_KEEP)
        n->atime = atime;
    return fat_dir_update(v, n);
}
