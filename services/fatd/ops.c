/* services/fatd/ops.c: the file: scheme's callbacks on open handles (open
 * with O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_PATH;
 * read, write, fstat, ftruncate, getdents, fsetattr, fstatfs, fsync) and the
 * table that joins them to paths.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fatd.h"

#define HANDLES_FIRST 64
#define HANDLES_MAX 65536
#define DT_DIR_ 4
#define DT_REG_ 8
#define DT_LNK_ 10
#define DOT_ENTRIES 2     /* listing positions: "." 0, ".." 1, then slot + 2 */
#define SECTOR 512

struct handle {
    struct fat_node *node;   /* NULL: free */
    struct fat_node *dir;    /* holding it, for its metadata line */
    char *name;
    int flags;
};

static struct handle *handles;
static size_t handle_count;

int64_t fatd_now(void)
{
    return (int64_t)time(NULL);
}

static struct handle *get(uint64_t h)
{
    return h < handle_count && handles[h].node ? &handles[h] : NULL;
}

static int handles_grow(void)
{
    return svc_grow((void **)&handles, &handle_count, sizeof(*handles), HANDLES_FIRST,
                    HANDLES_MAX);
}

/* A handle for w's node: takes over w's references. */
static long handle_new(struct fatd_where *w, int flags)
{
    size_t h = 0;
    char *name = strdup(w->leaf);
    int err = -ENOMEM;

    while (h < handle_count && handles[h].node)
        h++;
    if (!name || (h == handle_count && (err = handles_grow()) < 0)) {
        free(name);
        fatd_where_put(w);
        return name ? err : -ENOMEM;
    }
    handles[h] = (struct handle){.node = w->node, .dir = w->dir, .name = name, .flags = flags};
    w->node = w->dir = NULL;
    return (long)h;
}

static int open_existing(struct fatd_where *w, int flags)
{
    struct fat_node *n = w->node;
    int acc = flags & O_ACCMODE, err;
    struct fat_meta m;

    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if ((err = fatd_meta(w->dir, w->leaf, n, &m)) < 0)
        return err;
    if (flags & O_PATH)
        return (flags & O_DIRECTORY) && !S_ISDIR(m.mode) ? -ENOTDIR : 0;
    if (S_ISLNK(m.mode))
        return -ELOOP;   /* O_NOFOLLOW on a link */
    if (S_ISDIR(m.mode) && (acc != O_RDONLY || (flags & (O_TRUNC | O_CREAT))))
        return -EISDIR;
    if (!S_ISDIR(m.mode) && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if (S_ISREG(m.mode) && (flags & O_TRUNC) && acc != O_RDONLY && n->size)
        return fat_truncate(fatd_vol, n, 0, fatd_now());
    return 0;
}

static int create(struct svc_ctx *c, struct fatd_where *w, unsigned mode)
{
    struct fat_meta m = {.mode = S_IFREG | (mode & 07777), .uid = c->pkt->uid};
    int err = 0;

    if (!(w->node = fat_create(fatd_vol, w->dir, w->leaf, FAT_ATTR_ARCHIVE, fatd_now(), &err)))
        return err;
    return meta_set(fatd_vol, w->dir, w->leaf, w->node->attr, &m);
}

static long f_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
    struct fatd_where w;
    int err;

    if ((err = fatd_resolve(path, follow, &w)) < 0)
        return err;
    if (!w.node && !(flags & O_CREAT))
        err = -ENOENT;
    else if (!w.node)
        err = (flags & O_DIRECTORY) ? -EINVAL : create(c, &w, mode);
    else
        err = open_existing(&w, flags);
    if (err < 0) {
        fatd_where_put(&w);
        return err;
    }
    return handle_new(&w, flags);
}

static long f_close(struct svc_ctx *c, uint64_t h)
{
    struct handle *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    fat_node_put(fatd_vol, f->node);
    fat_node_put(fatd_vol, f->dir);
    free(f->name);
    *f = (struct handle){0};
    return 0;
}

static long f_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct handle *f = get(h);

    (void)c;
    if (!f || (f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (f->node->attr & FAT_ATTR_DIR)
        return -EISDIR;
    return fat_read(fatd_vol, f->node, buf, len, off);
}

static long f_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct handle *f = get(h);

    (void)c;
    if (!f || (f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (f->flags & O_APPEND)
        off = f->node->size;   /* the kernel's offset may lag behind other writers */
    return fat_write(fatd_vol, f->node, buf, len, off, fatd_now());
}

void fatd_stat_fill(const struct fat_node *n, const struct fat_meta *m, struct anvil_stat *st)
{
    struct fat_vol *v = fatd_vol;
    uint32_t subdirs = 0;
    bool dir = n->attr & FAT_ATTR_DIR;

    if (dir)
        fat_dir_subdirs(v, n->first, &subdirs);
    st->mode = m->mode;
    st->uid = m->uid;
    st->gid = m->gid;
    st->nlink = dir ? 2 + subdirs : 1;
    st->size = dir ? v->cluster_bytes : n->size;
    st->ino = n == v->root ? v->root_cluster : n->ino;
    st->mtime_sec = n->mtime;
    st->atime_sec = n->atime;
    st->ctime_sec = n->mtime;   /* FAT keeps no change time */
    st->blksize = v->cluster_bytes;
    st->blocks = (st->size + v->cluster_bytes - 1) / v->cluster_bytes * (v->cluster_bytes / SECTOR);
}

static long f_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct handle *f = get(h);
    struct fat_meta m;
    int err;

    (void)c;
    if (!f)
        return -EBADF;
    if ((err = fatd_meta(f->dir, f->name, f->node, &m)) < 0)
        return err;
    fatd_stat_fill(f->node, &m, st);
    return 0;
}

static long f_ftruncate(struct svc_ctx *c, uint64_t h, uint64_t len)
{
    struct handle *f = get(h);

    (void)c;
    if (!f || (f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    return fat_truncate(fatd_vol, f->node, len, fatd_now());
}

static uint8_t dtype(struct fat_node *dir, const struct fat_found *e)
{
    struct fat_meta m;

    if (e->attr & FAT_ATTR_DIR)
        return DT_DIR_;
    if (meta_get(fatd_vol, dir, e->name, e->attr, &m) == 0 && S_ISLNK(m.mode))
        return DT_LNK_;
    return DT_REG_;
}

/* "." and ".." (positions 0 and 1) into buf: bytes, 0 when they do not fit. */
static size_t dots(struct fat_node *d, void *buf, size_t len, uint64_t *pos)
{
    struct fat_vol *v = fatd_vol;
    uint32_t parent = v->root_cluster;
    size_t done = 0, n;

    fat_dir_parent(v, d->first, &parent);
    for (; *pos < DOT_ENTRIES; ++*pos, done += n) {
        uint64_t ino = *pos == 0 ? (d == v->root ? v->root_cluster : d->first) : parent;
        if (!(n = svc_dirent((char *)buf + done, len - done, ino, DT_DIR_, *pos ? ".." : ".",
                             *pos + 1)))
            break;
    }
    return done;
}

static long f_getdents(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t pos)
{
    struct handle *f = get(h);
    struct fat_found e;
    uint32_t slot;
    size_t done, n;
    int r;

    (void)c;
    if (!f || (f->flags & O_PATH))
        return -EBADF;
    if (!(f->node->attr & FAT_ATTR_DIR))
        return -ENOTDIR;
    done = dots(f->node, buf, len, &pos);
    if (pos < DOT_ENTRIES || pos - DOT_ENTRIES >= UINT32_MAX)
        return (long)done;
    slot = (uint32_t)(pos - DOT_ENTRIES);
    while ((r = fat_dir_next(fatd_vol, f->node->first, &slot, &e)) > 0) {
        if (!strcmp(e.name, ".") || !strcmp(e.name, "..") || fat_name_eq(e.name, FAT_META_NAME))
            continue;
        n = svc_dirent((char *)buf + done, len - done,
                       fat_ino(fatd_vol, f->node->first, e.slot, e.attr, e.first),
                       dtype(f->node, &e), e.name, (uint64_t)e.slot + 1 + DOT_ENTRIES);
        if (n == 0)
            break;
        done += n;
    }
    return r < 0 && done == 0 ? r : (long)done;
}

static long f_fsetattr(struct svc_ctx *c, uint64_t h, const struct anvil_setattr *a)
{
    struct handle *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    return fatd_setattr_apply(f->dir, f->name, f->node, a);
}

static long f_fstatfs(struct svc_ctx *c, uint64_t h, struct anvil_statfs *st)
{
    (void)c;
    return get(h) ? fatd_statfs_fill(st) : -EBADF;
}

static long f_fsync(struct svc_ctx *c, uint64_t h)
{
    (void)c;
    return get(h) ? fat_sync(fatd_vol) : -EBADF;
}

const struct scheme_ops fatd_ops = {
    .open = f_open, .close = f_close, .read = f_read, .write = f_write,
    .fstat = f_fstat, .ftruncate = f_ftruncate, .getdents = f_getdents,
    .fsetattr = f_fsetattr, .fstatfs = f_fstatfs, .fsync = f_fsync,
    .unlink = fatd_unlink_path, .mkdir = fatd_mkdir_path, .rmdir = fatd_rmdir_path,
    .rename = fatd_rename_path, .stat = fatd_stat_path, .setattr = fatd_setattr_path,
    .symlink = fatd_symlink_path, .readlink = fatd_readlink_path, .link = fatd_link_path,
    .statfs = fatd_statfs_path,
    /* files change only through requests, each file keeps its st_ino while
     * loaded (node.c), and writes may come behind: the kernel may cache */
    .cache_files = true,
};
