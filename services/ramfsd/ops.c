/* services/ramfsd/ops.c: the file: scheme's callbacks on open handles: open
 * (with O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_PATH), read and
 * write at the kernel's offsets, fstat, ftruncate, getdents, fsetattr,
 * fstatfs; and the table that joins them to paths.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#include "ops.h"

#define HANDLES_FIRST 64
#define HANDLES_MAX 65536   /* open files of all callers together */
#define DT_DIR_ 4     /* dirent.h DT_DIR */
#define DT_REG_ 8     /* dirent.h DT_REG */
#define DT_LNK_ 10    /* dirent.h DT_LNK */
#define DOT_ENTRIES RAMFS_FIRST_POS /* "." and ".." come first in every directory */
#define BLOCK 4096
#define SECTOR 512

struct handle {
    struct ramfs_node *node;   /* NULL: free */
    int flags;
};

static struct handle *handles;   /* grows by doubling up to HANDLES_MAX */
static size_t handle_count;

static struct handle *get(uint64_t h)
{
    return h < handle_count && handles[h].node ? &handles[h] : NULL;
}

static int handles_grow(void)
{
    return svc_grow((void **)&handles, &handle_count, sizeof(*handles), HANDLES_FIRST,
                    HANDLES_MAX);
}

static long handle_new(struct ramfs_node *n, int flags)
{
    size_t h = 0;
    int err;

    while (h < handle_count && handles[h].node)
        h++;
    if (h == handle_count && (err = handles_grow()) < 0)
        return err;
    handles[h].node = n;
    handles[h].flags = flags;
    n->opens++;
    return (long)h;
}

/* An existing node against open's flags: 0 or -errno (O_TRUNC done here). */
static int open_existing(struct ramfs_node *n, int flags)
{
    int acc = flags & O_ACCMODE;

    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if (flags & O_PATH)
        return (flags & O_DIRECTORY) && !S_ISDIR(n->mode) ? -ENOTDIR : 0;
    if (S_ISLNK(n->mode))
        return -ELOOP;   /* O_NOFOLLOW on a symbolic link */
    if (S_ISDIR(n->mode) && (acc != O_RDONLY || (flags & (O_TRUNC | O_CREAT))))
        return -EISDIR;
    if (!S_ISDIR(n->mode) && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if (S_ISREG(n->mode) && (flags & O_TRUNC) && acc != O_RDONLY)
        return ramfs_resize(n, 0);
    return 0;
}

static long r_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    /* O_CREAT | O_EXCL never follows a final link: it must fail with EEXIST. */
    bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
    struct ramfs_where w;
    struct ramfs_node *n;
    int err;

    if ((err = ramfs_resolve(path, follow, &w)) < 0)
        return err;
    if (!(n = w.node)) {
        if (!(flags & O_CREAT))
            return -ENOENT;
        if (flags & O_DIRECTORY)
            return -EINVAL;
        err = ramfs_create(w.dir, w.leaf, S_IFREG | (mode & 07777), c->pkt->uid, 0, &n);
    } else {
        err = open_existing(n, flags);
    }
    return err < 0 ? err : handle_new(n, flags);
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
    if (!f || (f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    n = f->node;
    if (S_ISDIR(n->mode))
        return -EISDIR;
    ramfs_touch(n, RAMFS_ATIME);
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
    if (!f || (f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    n = f->node;
    if (f->flags & O_APPEND)
        off = n->size;   /* the kernel's offset may lag behind other writers */
    if (off + len < off || off + len > (uint64_t)SSIZE_MAX)
        return -EFBIG;
    if (off + len > n->size && (err = ramfs_extend_for(n, (size_t)off, len)) < 0)
        return err;
    memcpy(n->data + off, buf, len);
    ramfs_touch(n, RAMFS_MTIME | RAMFS_CTIME);
    return (long)len;
}

void ramfs_stat_fill(const struct ramfs_node *n, struct anvil_stat *st)
{
    st->mode = n->mode;
    st->nlink = ramfs_nlink(n);
    st->size = S_ISDIR(n->mode) ? BLOCK : n->size;
    st->ino = n->ino;
    st->uid = n->uid;
    st->gid = n->gid;
    st->atime_sec = n->atime.tv_sec;
    st->atime_nsec = (uint32_t)n->atime.tv_nsec;
    st->mtime_sec = n->mtime.tv_sec;
    st->mtime_nsec = (uint32_t)n->mtime.tv_nsec;
    st->ctime_sec = n->ctime.tv_sec;
    st->ctime_nsec = (uint32_t)n->ctime.tv_nsec;
    st->blksize = BLOCK;
    st->blocks = S_ISDIR(n->mode) ? BLOCK / SECTOR : (n->cap + SECTOR - 1) / SECTOR;
}

static long r_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct handle *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    ramfs_stat_fill(f->node, st);
    return 0;
}

static long r_ftruncate(struct svc_ctx *c, uint64_t h, uint64_t len)
{
    struct handle *f = get(h);

    (void)c;
    if (!f || (f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;   /* ftruncate(2): EBADF or EINVAL when not open for writing */
    if (S_ISDIR(f->node->mode))
        return -EISDIR;
    if (len > (uint64_t)SSIZE_MAX)
        return -EFBIG;
    return ramfs_resize(f->node, (size_t)len);
}

long ramfs_setattr_apply(struct ramfs_node *n, const struct anvil_setattr *a)
{
    int err;

    if ((a->valid & ANVIL_ATTR_MODE) && S_ISLNK(n->mode))
        return -EOPNOTSUPP;   /* Linux: fchmodat(AT_SYMLINK_NOFOLLOW) on a link */
    if (a->valid & ANVIL_ATTR_SIZE) {
        if (S_ISDIR(n->mode))
            return -EISDIR;
        if (!S_ISREG(n->mode))
            return -EINVAL;
        if (a->size > (uint64_t)SSIZE_MAX)
            return -EFBIG;
        if ((err = ramfs_resize(n, (size_t)a->size)) < 0)
            return err;
    }
    if (a->valid & ANVIL_ATTR_MODE)
        n->mode = (n->mode & S_IFMT) | (a->mode & 07777);
    if (a->valid & ANVIL_ATTR_UID)
        n->uid = a->uid;
    if (a->valid & ANVIL_ATTR_GID)
        n->gid = a->gid;
    if (a->valid & ANVIL_ATTR_ATIME)
        n->atime = (struct timespec){a->atime_sec, a->atime_nsec};
    if (a->valid & ANVIL_ATTR_MTIME)
        n->mtime = (struct timespec){a->mtime_sec, a->mtime_nsec};
    if (a->valid)
        ramfs_touch(n, RAMFS_CTIME);
    return 0;
}

static long r_fsetattr(struct svc_ctx *c, uint64_t h, const struct anvil_setattr *a)
{
    struct handle *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    return ramfs_setattr_apply(f->node, a);
}

long ramfs_statfs_fill(struct anvil_statfs *st)
{
    struct sysinfo si;
    uint64_t free_blocks = 0, used = (ramfs_bytes_used() + BLOCK - 1) / BLOCK;

    if (sysinfo(&si) == 0)
        free_blocks = (uint64_t)si.freeram * si.mem_unit / BLOCK;
    st->type = RAMFS_MAGIC;
    st->bsize = BLOCK;
    st->blocks = used + free_blocks;
    st->bfree = st->bavail = free_blocks;
    st->files = ramfs_nodes_used() + free_blocks;
    st->ffree = free_blocks;
    st->namelen = RAMFS_NAME_MAX;
    return 0;
}

static long r_fstatfs(struct svc_ctx *c, uint64_t h, struct anvil_statfs *st)
{
    (void)c;
    return get(h) ? ramfs_statfs_fill(st) : -EBADF;
}

static uint8_t dtype(const struct ramfs_node *n)
{
    return S_ISDIR(n->mode) ? DT_DIR_ : S_ISLNK(n->mode) ? DT_LNK_ : DT_REG_;
}

/* The entry of dir at listing position pos or after it: "." (0) and ".." (1)
 * first, then the entries in creation order (RAMFS_FIRST_POS on). NULL at the end. */
static const struct ramfs_node *entry_from(const struct ramfs_node *dir, uint64_t pos,
                                           const char **name, uint64_t *at)
{
    const struct ramfs_entry *e = dir->entries;

    if (pos < DOT_ENTRIES) {
        *name = pos == 0 ? "." : "..";
        *at = pos;
        return pos == 0 ? dir : dir->parent;
    }
    while (e && e->pos < pos)
        e = e->next;
    if (!e)
        return NULL;
    *name = e->name;
    *at = e->pos;
    return e->node;
}

static long r_getdents(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t pos)
{
    struct handle *f = get(h);
    const struct ramfs_node *e;
    const char *name;
    uint64_t at;
    size_t done = 0, n;

    (void)c;
    if (!f || (f->flags & O_PATH))
        return -EBADF;
    if (!S_ISDIR(f->node->mode))
        return -ENOTDIR;
    while ((e = entry_from(f->node, pos, &name, &at))) {
        n = svc_dirent((char *)buf + done, len - done, e->ino, dtype(e), name, at + 1);
        if (n == 0)
            break;
        done += n;
        pos = at + 1;
    }
    ramfs_touch(f->node, RAMFS_ATIME);
    return (long)done;
}

const struct scheme_ops ramfs_ops = {
    .open = r_open, .close = r_close, .read = r_read, .write = r_write,
    .fstat = r_fstat, .ftruncate = r_ftruncate, .getdents = r_getdents,
    .fsetattr = r_fsetattr, .fstatfs = r_fstatfs,
    .unlink = ramfs_unlink_path, .mkdir = ramfs_mkdir_path, .rmdir = ramfs_rmdir_path,
    .rename = ramfs_rename_path, .stat = ramfs_stat_path, .setattr = ramfs_setattr_path,
    .symlink = ramfs_symlink_path, .readlink = ramfs_readlink_path, .link = ramfs_link_path,
    .statfs = ramfs_statfs_path,
    .cache_files = true,   /* nothing changes a file but requests: the kernel may cache */
};
