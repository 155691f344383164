/* services/ramfsd/paths.c: the file: scheme's operations by path: unlink,
 * mkdir, rmdir, rename, stat, setattr, symlink, readlink, link, statfs, with
 * the POSIX errors. Symbolic links are resolved by lookup.c. */
#include <anvil/scheme.h>
#include <errno.h>
#include <string.h>

#include "ops.h"

/* Resolve a path that must exist: 0 or -errno (-ENOENT when missing). */
static int existing(const char *path, bool follow, struct ramfs_where *w)
{
    int err = ramfs_resolve(path, follow, w);

    return err ? err : w->node ? 0 : -ENOENT;
}

long ramfs_unlink_path(struct svc_ctx *c, const char *path)
{
    struct ramfs_where w;
    int err;

    (void)c;
    if ((err = existing(path, false, &w)) < 0)
        return err;
    if (S_ISDIR(w.node->mode))
        return -EISDIR;
    ramfs_unlink(w.dir, w.entry);
    return 0;
}

long ramfs_mkdir_path(struct svc_ctx *c, const char *path, unsigned mode)
{
    struct ramfs_where w;
    struct ramfs_node *n;
    int err;

    if ((err = ramfs_resolve(path, false, &w)) < 0)
        return err;
    if (w.node)
        return -EEXIST;
    return ramfs_create(w.dir, w.leaf, S_IFDIR | (mode & 07777), c->pkt->uid, 0, &n);
}

long ramfs_rmdir_path(struct svc_ctx *c, const char *path)
{
    struct ramfs_where w;
    int err;

    (void)c;
    if ((err = existing(path, false, &w)) < 0)
        return err;
    if (!S_ISDIR(w.node->mode))
        return -ENOTDIR;
    if (!w.entry)
        return w.node == ramfs_root() ? -EBUSY : -EINVAL;
    if (w.node->entries)
        return -ENOTEMPTY;
    ramfs_unlink(w.dir, w.entry);
    return 0;
}

/* Whether dir is n or lies below it (moving n there would cut the tree). */
static bool inside(const struct ramfs_node *dir, const struct ramfs_node *n)
{
    for (;;) {
        if (dir == n)
            return true;
        if (dir == dir->parent)
            return false;
        dir = dir->parent;
    }
}

/* rename(2)'s rules for replacing an existing target: 0 or -errno. */
static int can_replace(const struct ramfs_node *from, const struct ramfs_node *to)
{
    if (S_ISDIR(to->mode) && !S_ISDIR(from->mode))
        return -EISDIR;
    if (!S_ISDIR(to->mode) && S_ISDIR(from->mode))
        return -ENOTDIR;
    if (S_ISDIR(to->mode) && to->entries)
        return -ENOTEMPTY;
    return 0;
}

long ramfs_rename_path(struct svc_ctx *c, const char *from, const char *to)
{
    struct ramfs_where src, dst;
    struct ramfs_node *n;
    int err;

    (void)c;
    if ((err = existing(from, false, &src)) < 0)
        return err;
    if (!src.entry)
        return -EBUSY;
    if ((err = ramfs_resolve(to, false, &dst)) < 0)
        return err;
    if (dst.node && !dst.entry)
        return -EBUSY;
    n = src.node;
    if (S_ISDIR(n->mode) && inside(dst.dir, n))
        return -EINVAL;
    if (dst.node) {
        if (dst.node == n)
            return 0;   /* two names of one file: nothing happens */
        if ((err = can_replace(n, dst.node)) < 0)
            return err;
    }
    n->opens++;   /* keeps n alive between its two names */
    if ((err = ramfs_link(dst.dir, dst.leaf, n)) == 0) {
        if (dst.entry)
            ramfs_unlink(dst.dir, dst.entry);
        ramfs_unlink(src.dir, src.entry);
    }
    ramfs_release(n);
    return err;
}

long ramfs_stat_path(struct svc_ctx *c, const char *path, int flags, struct anvil_stat *st)
{
    struct ramfs_where w;
    int err;

    (void)c;
    if ((err = existing(path, !(flags & ANVIL_PATH_NOFOLLOW), &w)) < 0)
        return err;
    ramfs_stat_fill(w.node, st);
    return 0;
}

long ramfs_setattr_path(struct svc_ctx *c, const char *path, int flags, const struct anvil_setattr *a)
{
    struct ramfs_where w;
    int err;

    (void)c;
    if ((err = existing(path, !(flags & ANVIL_PATH_NOFOLLOW), &w)) < 0)
        return err;
    return ramfs_setattr_apply(w.node, a);
}

long ramfs_symlink_path(struct svc_ctx *c, const char *target, const char *path)
{
    size_t len = strlen(target);
    struct ramfs_where w;
    struct ramfs_node *n;
    int err;

    if (len == 0)
        return -ENOENT;
    if (len > ANVIL_SYMLINK_MAX)
        return -ENAMETOOLONG;
    if ((err = ramfs_resolve(path, false, &w)) < 0)
        return err;
    if (w.node)
        return -EEXIST;
    if ((err = ramfs_create(w.dir, w.leaf, S_IFLNK | 0777, c->pkt->uid, 0, &n)) < 0)
        return err;
    if ((err = ramfs_set_data(n, target, len)) < 0)
        ramfs_unlink(w.dir, ramfs_find(w.dir, w.leaf));
    return err;
}

long ramfs_readlink_path(struct svc_ctx *c, const char *path, char *buf, size_t len)
{
    struct ramfs_where w;
    int err;

    (void)c;
    if ((err = existing(path, false, &w)) < 0)
        return err;
    if (!S_ISLNK(w.node->mode))
        return -EINVAL;
    if (len > w.node->size)
        len = w.node->size;
    memcpy(buf, w.node->data, len);
    ramfs_touch(w.node, RAMFS_ATIME);
    return (long)len;
}

long ramfs_link_path(struct svc_ctx *c, const char *from, const char *to, int flags)
{
    struct ramfs_where src, dst;
    int err;

    (void)c;
    if ((err = existing(from, flags & ANVIL_PATH_FOLLOW, &src)) < 0)
        return err;
    if (S_ISDIR(src.node->mode))
        return -EPERM;
    if ((err = ramfs_resolve(to, false, &dst)) < 0)
        return err;
    if (dst.node)
        return -EEXIST;
    if ((err = ramfs_link(dst.dir, dst.leaf, src.node)) == 0)
        ramfs_touch(src.node, RAMFS_CTIME);
    return err;
}

long ramfs_statfs_path(struct svc_ctx *c, const char *path, struct anvil_statfs *st)
{
    struct ramfs_where w;
    int err;

    (void)c;
    if ((err = existing(path, true, &w)) < 0)
        return err;
    return ramfs_statfs_fill(st);
}
