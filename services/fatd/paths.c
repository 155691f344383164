/* services/fatd/paths.c: the file: scheme's operations by path (unlink,
 * mkdir, rmdir, rename, stat, setattr, symlink, readlink, link, statfs) with
 * the POSIX errors, and the metadata lines that go with each name. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fatd.h"

#define NAME_MAX_ 255

long fatd_unlink_path(struct svc_ctx *c, const char *path)
{
    struct fatd_where w;
    int err;

    (void)c;
    if ((err = fatd_existing(path, false, &w)) < 0)
        return err;
    if (w.node->attr & FAT_ATTR_DIR)
        err = -EISDIR;
    else if ((err = fat_remove(fatd_vol, w.dir, w.leaf)) == 0)
        err = meta_remove(fatd_vol, w.dir, w.leaf);
    if (err == 0)
        err = fat_set_times(fatd_vol, w.dir, fatd_now(), FAT_TIME_KEEP);
    fatd_where_put(&w);
    return err;
}

long fatd_mkdir_path(struct svc_ctx *c, const char *path, unsigned mode)
{
    struct fat_meta m = {.mode = S_IFDIR | (mode & 07777), .uid = c->pkt->uid};
    struct fatd_where w;
    int err;

    if ((err = fatd_resolve(path, false, &w)) < 0)
        return err;
    if (w.node)
        err = -EEXIST;
    else if ((w.node = fat_create(fatd_vol, w.dir, w.leaf, FAT_ATTR_DIR, fatd_now(), &err)))
        err = meta_set(fatd_vol, w.dir, w.leaf, FAT_ATTR_DIR, &m);
    fatd_where_put(&w);
    return err;
}

long fatd_rmdir_path(struct svc_ctx *c, const char *path)
{
    struct fatd_where w;
    int err;

    (void)c;
    if ((err = fatd_existing(path, false, &w)) < 0)
        return err;
    if (!(w.node->attr & FAT_ATTR_DIR))
        err = -ENOTDIR;
    else if (w.node == fatd_vol->root)
        err = -EBUSY;
    else if ((err = fat_remove(fatd_vol, w.dir, w.leaf)) == 0)
        err = meta_remove(fatd_vol, w.dir, w.leaf);
    fatd_where_put(&w);
    return err;
}

/* Whether directory d is n or lies below it (moving n there cuts the tree). */
static bool inside(struct fat_node *d, const struct fat_node *n)
{
    uint32_t cl = d->first, parent;

    for (int depth = 0; depth < 4096; depth++) {
        if (cl == n->first)
            return true;
        if (cl == fatd_vol->root_cluster || fat_dir_parent(fatd_vol, cl, &parent) < 0)
            return false;
        cl = parent;
    }
    return true;   /* a ".." cycle: refuse */
}

static int can_replace(const struct fatd_where *src, const struct fatd_where *dst)
{
    bool from_dir = src->node->attr & FAT_ATTR_DIR, to_dir = dst->node->attr & FAT_ATTR_DIR;
    bool empty;
    int err;

    if (to_dir && !from_dir)
        return -EISDIR;
    if (!to_dir && from_dir)
        return -ENOTDIR;
    if (to_dir && ((err = fat_dir_empty(fatd_vol, dst->node->first, &empty)) < 0 || !empty))
        return err < 0 ? err : -ENOTEMPTY;
    return 0;
}

/* Replace what dst names (checked), then give src the new name and its line. */
static int move(struct fatd_where *src, struct fatd_where *dst)
{
    struct fat_vol *v = fatd_vol;
    uint8_t attr = src->node->attr;
    struct fat_meta m;
    int err;

    if (dst->node && dst->node != src->node) {
        if ((err = can_replace(src, dst)) < 0 || (err = fat_remove(v, dst->dir, dst->leaf)) < 0 ||
            (err = meta_remove(v, dst->dir, dst->leaf)) < 0)
            return err;
    }
    if ((err = fatd_meta(src->dir, src->leaf, src->node, &m)) < 0 ||
        (err = fat_rename(v, src->dir, src->leaf, dst->dir, dst->leaf)) < 0 ||
        (err = meta_remove(v, src->dir, src->leaf)) < 0 ||
        (err = meta_set(v, dst->dir, dst->leaf, attr, &m)) < 0)
        return err;
    if ((err = fat_set_times(v, src->dir, fatd_now(), FAT_TIME_KEEP)) < 0)
        return err;
    return fat_set_times(v, dst->dir, fatd_now(), FAT_TIME_KEEP);
}

long fatd_rename_path(struct svc_ctx *c, const char *from, const char *to)
{
    struct fatd_where src, dst = {0};
    int err;

    (void)c;
    if ((err = fatd_existing(from, false, &src)) < 0)
        return err;
    if (src.node == fatd_vol->root)
        err = -EBUSY;
    else if ((err = fatd_resolve(to, false, &dst)) < 0)
        dst = (struct fatd_where){0};
    else if (dst.node == fatd_vol->root)
        err = -EBUSY;
    else if ((src.node->attr & FAT_ATTR_DIR) && inside(dst.dir, src.node))
        err = -EINVAL;
    else if (dst.node == src.node && !strcmp(src.leaf, dst.leaf))
        err = 0;   /* the same name: nothing happens */
    else
        err = move(&src, &dst);
    fatd_where_put(&dst);
    fatd_where_put(&src);
    return err;
}

long fatd_stat_path(struct svc_ctx *c, const char *path, int flags, struct anvil_stat *st)
{
    struct fatd_where w;
    struct fat_meta m;
    int err;

    (void)c;
    if ((err = fatd_existing(path, !(flags & ANVIL_PATH_NOFOLLOW), &w)) < 0)
        return err;
    if ((err = fatd_meta(w.dir, w.leaf, w.node, &m)) == 0)
        fatd_stat_fill(w.node, &m, st);
    fatd_where_put(&w);
    return err;
}

long fatd_setattr_apply(struct fat_node *dir, const char *leaf, struct fat_node *n,
                        const struct anvil_setattr *a)
{
    struct fat_meta m;
    int err;

    if ((err = fatd_meta(dir, leaf, n, &m)) < 0)
        return err;
    if ((a->valid & ANVIL_ATTR_MODE) && S_ISLNK(m.mode))
        return -EOPNOTSUPP;   /* Linux: fchmodat(AT_SYMLINK_NOFOLLOW) on a link */
    if (a->valid & ANVIL_ATTR_SIZE) {
        if (S_ISDIR(m.mode))
            return -EISDIR;
        if (!S_ISREG(m.mode))
            return -EINVAL;
        if ((err = fat_truncate(fatd_vol, n, a->size, fatd_now())) < 0)
            return err;
    }
    if (a->valid & ANVIL_ATTR_MODE)
        m.mode = (m.mode & S_IFMT) | (a->mode & 07777);
    if (a->valid & ANVIL_ATTR_UID)
        m.uid = a->uid;
    if (a->valid & ANVIL_ATTR_GID)
        m.gid = a->gid;
    if ((a->valid & (ANVIL_ATTR_MODE | ANVIL_ATTR_UID | ANVIL_ATTR_GID)) &&
        (err = meta_set(fatd_vol, dir, leaf, n->attr, &m)) < 0)
        return err;
    if (!(a->valid & (ANVIL_ATTR_ATIME | ANVIL_ATTR_MTIME)))
        return 0;
    return fat_set_times(fatd_vol, n, a->valid & ANVIL_ATTR_MTIME ? a->mtime_sec : FAT_TIME_KEEP,
                         a->valid & ANVIL_ATTR_ATIME ? a->atime_sec : FAT_TIME_KEEP);
}

long fatd_setattr_path(struct svc_ctx *c, const char *path, int flags,
                       const struct anvil_setattr *a)
{
    struct fatd_where w;
    int err;

    (void)c;
    if ((err = fatd_existing(path, !(flags & ANVIL_PATH_NOFOLLOW), &w)) < 0)
        return err;
    err = (int)fatd_setattr_apply(w.dir, w.leaf, w.node, a);
    fatd_where_put(&w);
    return err;
}

/* A new link: a file holding target, with an S_IFLNK line. */
static int make_link(struct svc_ctx *c, struct fatd_where *w, const char *target, size_t len)
{
    struct fat_meta m = {.mode = S_IFLNK | 0777, .uid = c->pkt->uid};
    long put;
    int err = 0;

    if (!(w->node = fat_create(fatd_vol, w->dir, w->leaf, FAT_ATTR_ARCHIVE, fatd_now(), &err)))
        return err;
    put = fat_write(fatd_vol, w->node, target, len, 0, fatd_now());
    err = put < 0 ? (int)put : meta_set(fatd_vol, w->dir, w->leaf, w->node->attr, &m);
    if (err < 0)
        fat_remove(fatd_vol, w->dir, w->leaf);
    return err;
}

long fatd_symlink_path(struct svc_ctx *c, const char *target, const char *path)
{
    size_t len = strlen(target);
    struct fatd_where w;
    int err;

    if (len == 0)
        return -ENOENT;
    if (len > ANVIL_SYMLINK_MAX)
        return -ENAMETOOLONG;
    if ((err = fatd_resolve(path, false, &w)) < 0)
        return err;
    err = w.node ? -EEXIST : make_link(c, &w, target, len);
    fatd_where_put(&w);
    return err;
}

long fatd_readlink_path(struct svc_ctx *c, const char *path, char *buf, size_t len)
{
    struct fatd_where w;
    struct fat_meta m;
    long err;

    (void)c;
    if ((err = fatd_existing(path, false, &w)) < 0)
        return err;
    if ((err = fatd_meta(w.dir, w.leaf, w.node, &m)) == 0)
        err = S_ISLNK(m.mode) ? fat_read(fatd_vol, w.node, buf, len, 0) : -EINVAL;
    fatd_where_put(&w);
    return err;
}

long fatd_link_path(struct svc_ctx *c, const char *from, const char *to, int flags)
{
    (void)c, (void)from, (void)to, (void)flags;
    return -EPERM;   /* FAT has one name per file (as Linux's vfat answers) */
}

long fatd_statfs_fill(struct anvil_statfs *st)
{
    struct fat_vol *v = fatd_vol;

    st->type = FATD_MAGIC;
    st->bsize = v->cluster_bytes;
    st->blocks = v->max_cluster - 1;
    st->bfree = st->bavail = v->free_count;
    st->namelen = NAME_MAX_;
    return 0;
}

long fatd_statfs_path(struct svc_ctx *c, const char *path, struct anvil_statfs *st)
{
    struct fatd_where w;
    int err;

    (void)c;
    if ((err = fatd_existing(path, true, &w)) < 0)
        return err;
    fatd_where_put(&w);
    return fatd_statfs_fill(st);
}
