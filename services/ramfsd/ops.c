/* services/ramfsd/ops.c: the file: scheme's callbacks over the tree: open
 * handles, read/write at the kernel's offsets, and the path operations. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "ops.h"
#include "ramfs.h"

#define HANDLES_MAX 256
#define DT_DIR_ 4    /* dirent.h DT_DIR */
#define DT_REG_ 8    /* dirent.h DT_REG */
#define DOT_ENTRIES 2   /* "." and ".." come first in every directory */

struct handle {
    struct ramfs_node *node;   /* NULL: free */
    int flags;
};

static struct handle handles[HANDLES_MAX];

static struct handle *get(uint64_t h)
{
    return h < HANDLES_MAX && handles[h].node ? &handles[h] : NULL;
}

static long handle_new(struct ramfs_node *n, int flags)
{
    for (int h = 0; h < HANDLES_MAX; h++) {
        if (!handles[h].node) {
            handles[h].node = n;
            handles[h].flags = flags;
            n->opens++;
            return h;
        }
    }
    return -ENFILE;
}

/* Find or (O_CREAT) make the node for an open: 0 or -errno. */
static int open_node(const char *path, int flags, unsigned mode, struct ramfs_node **out)
{
    char leaf[RAMFS_NAME_MAX + 1];
    struct ramfs_node *dir;
    int err = ramfs_lookup(path, out);

    if (err == 0)
        return (flags & O_CREAT) && (flags & O_EXCL) ? -EEXIST : 0;
    if (err != -ENOENT || !(flags & O_CREAT))
        return err;
    if ((err = ramfs_lookup_parent(path, &dir, leaf)) < 0)
        return err;
    return ramfs_create(dir, leaf, false, mode, out);
}

static long r_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    int acc = flags & O_ACCMODE, err;
    struct ramfs_node *n;

    (void)c;
    if ((err = open_node(path, flags, mode, &n)) < 0)
        return err;
    if (n->dir && (acc != O_RDONLY || (flags & O_TRUNC)))
        return -EISDIR;
    if (!n->dir && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if (!n->dir && (flags & O_TRUNC) && acc != O_RDONLY && (err = ramfs_resize(n, 0)) < 0)
        return err;
    return handle_new(n, flags);
}

static long r_close(struct svc_ctx *c, uint64_t h)
{
    struct handle *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    ramfs_release(f->node);
    f->node = NULL;
    return 0;
}

static long r_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct handle *f = get(h);
    struct ramfs_node *n;

    (void)c;
    if (!f)
        return -EBADF;
    n = f->node;
    if (n->dir)
        return -EISDIR;
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (off >= n->size)
        return 0;
    if (len > n->size - off)
        len = n->size - off;
    memcpy(buf, n->data + off, len);
    return (long)len;
}

static long r_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct handle *f = get(h);
    struct ramfs_node *n;
    int err;

    (void)c;
    if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    n = f->node;
    if (f->flags & O_APPEND)
        off = n->size;   /* the kernel's offset may lag behind other writers */
    if (off + len < off)
        return -EFBIG;
    if (off + len > n->size && (err = ramfs_resize(n, off + len)) < 0)
        return err;
    memcpy(n->data + off, buf, len);
    ramfs_touch(n);
    return (long)len;
}

static unsigned subdirs(const struct ramfs_node *n)
{
    unsigned k = 0;

    for (const struct ramfs_node *e = n->child; e; e = e->next)
        k += e->dir;
    return k;
}

static long r_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct handle *f = get(h);
    struct ramfs_node *n;

    (void)c;
    if (!f)
        return -EBADF;
    n = f->node;
    st->mode = (n->dir ? S_IFDIR : S_IFREG) | n->mode;
    st->nlink = n->dir ? 2 + subdirs(n) : n->linked;
    st->size = n->dir ? 0 : n->size;
    st->ino = n->ino;
    st->mtime_sec = n->mtime_sec;
    st->mtime_nsec = n->mtime_nsec;
    return 0;
}

static long r_ftruncate(struct svc_ctx *c, uint64_t h, uint64_t len)
{
    struct handle *f = get(h);

    (void)c;
    if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;   /* ftruncate(2): EBADF or EINVAL when not open for writing */
    if (f->node->dir)
        return -EISDIR;
    return ramfs_resize(f->node, (size_t)len);
}

/* Entry index of dir: "." and ".." first, then the entries in creation order. */
static const struct ramfs_node *entry_at(const struct ramfs_node *dir, uint64_t index,
                                         const char **name)
{
    const struct ramfs_node *e = dir->child;

    if (index < DOT_ENTRIES) {
        *name = index == 0 ? "." : "..";
        return index == 0 || !dir->parent ? dir : dir->parent;
    }
    for (index -= DOT_ENTRIES; e && index > 0; index--)
        e = e->next;
    if (e)
        *name = e->name;
    return e;
}

static long r_getdents(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t index)
{
    struct handle *f = get(h);
    const struct ramfs_node *e;
    const char *name;
    size_t done = 0, n;

    (void)c;
    if (!f)
        return -EBADF;
    if (!f->node->dir)
        return -ENOTDIR;
    while ((e = entry_at(f->node, index, &name))) {
        n = svc_dirent((char *)buf + done, len - done, e->ino, e->dir ? DT_DIR_ : DT_REG_, name);
        if (n == 0)
            break;
        done += n;
        index++;
    }
    return (long)done;
}

static long r_unlink(struct svc_ctx *c, const char *path)
{
    struct ramfs_node *n;
    int err;

    (void)c;
    if ((err = ramfs_lookup(path, &n)) < 0)
        return err;
    if (n->dir)
        return -EISDIR;
    ramfs_remove(n);
    return 0;
}

static long r_mkdir(struct svc_ctx *c, const char *path, unsigned mode)
{
    char leaf[RAMFS_NAME_MAX + 1];
    struct ramfs_node *dir, *n;
    int err;

    (void)c;
    if ((err = ramfs_lookup_parent(path, &dir, leaf)) < 0)
        return err;
    if (ramfs_find(dir, leaf))
        return -EEXIST;
    return ramfs_create(dir, leaf, true, mode, &n);
}

static long r_rmdir(struct svc_ctx *c, const char *path)
{
    struct ramfs_node *n;
    int err;

    (void)c;
    if ((err = ramfs_lookup(path, &n)) < 0)
        return err;
    if (!n->dir)
        return -ENOTDIR;
    if (!n->parent)
        return -EBUSY;
    if (n->child)
        return -ENOTEMPTY;
    ramfs_remove(n);
    return 0;
}

/* Whether dir is n or lies below it (moving n there would cut the tree). */
static int inside(const struct ramfs_node *dir, const struct ramfs_node *n)
{
    for (; dir; dir = dir->parent)
        if (dir == n)
            return 1;
    return 0;
}

/* rename(2)'s rules for replacing an existing target: 0 or -errno. */
static int can_replace(const struct ramfs_node *from, const struct ramfs_node *to)
{
    if (to->dir && !from->dir)
        return -EISDIR;
    if (!to->dir && from->dir)
        return -ENOTDIR;
    if (to->dir && to->child)
        return -ENOTEMPTY;
    return 0;
}

static long r_rename(struct svc_ctx *c, const char *from, const char *to)
{
    char leaf[RAMFS_NAME_MAX + 1];
    struct ramfs_node *src, *dir, *old;
    int err;

    (void)c;
    if ((err = ramfs_lookup(from, &src)) < 0)
        return err;
    if (!src->parent)
        return -EBUSY;
    if ((err = ramfs_lookup_parent(to, &dir, leaf)) < 0)
        return err == -EEXIST ? -EBUSY : err;
    if (src->dir && inside(dir, src))
        return -EINVAL;
    if ((old = ramfs_find(dir, leaf))) {
        if (old == src)
            return 0;
        if ((err = can_replace(src, old)) < 0)
            return err;
        ramfs_remove(old);
    }
    ramfs_detach(src);
    ramfs_attach(dir, src, leaf);
    return 0;
}

const struct scheme_ops ramfs_ops = {
    .open = r_open, .close = r_close, .read = r_read, .write = r_write,
    .fstat = r_fstat, .ftruncate = r_ftruncate, .getdents = r_getdents,
    .unlink = r_unlink, .mkdir = r_mkdir, .rmdir = r_rmdir, .rename = r_rename,
};
