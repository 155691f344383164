/* kernel/fs/initfs_file.c: reading initfs members in place, listing its
 * directories with getdents64. The directory offset is the index cursor. */
#include "fs/dirent.h"
#include "fs/filemap.h"
#include "fs/initfs_file.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"

#define INITFS_DEV 1

void initfs_node_stat(const struct initfs_node *n, struct kstat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_dev = INITFS_DEV;
    st->st_ino = n->ino;
    st->st_nlink = (n->mode & S_IFMT) == S_IFDIR ? 2 : 1;
    st->st_mode = n->mode;
    st->st_size = (int64_t)n->size;
    st->st_blksize = 4096;
    st->st_blocks = (int64_t)((n->size + 511) / 512);
    st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = n->mtime;
}

/* How many of len bytes from off a read of n gives, or -EISDIR. */
static long extent(const struct initfs_node *n, size_t len, uint64_t off)
{
    if ((n->mode & S_IFMT) == S_IFDIR)
        return -EISDIR;
    if (off >= n->size)
        return 0;
    return (long)(n->size - off < len ? n->size - off : len);
}

static long node_pread(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    const struct initfs_node *n = f->priv;
    long count = extent(n, len, off);

    if (count > 0 && copy_to_user(ubuf, n->data + off, (size_t)count) < 0)
        return -EFAULT;
    return count;
}

static long node_kread(struct file *f, void *buf, size_t len, uint64_t off)
{
    const struct initfs_node *n = f->priv;
    long count = extent(n, len, off);

    if (count > 0)
        memcpy(buf, n->data + off, (size_t)count);
    return count;
}

/* The archive is read-only: shared and private mappings alike are copies. */
static long node_mmap(struct file *f, uintptr_t addr, size_t len, unsigned prot, uint64_t off,
                      bool shared)
{
    const struct initfs_node *n = f->priv;

    (void)shared;
    if ((n->mode & S_IFMT) != S_IFREG)
        return -ENODEV;
    return filemap_private(f, addr, len, prot, off);
}

static long node_read(struct file *f, uintptr_t ubuf, size_t len)
{
    long r = node_pread(f, ubuf, len, f->offset);

    if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

static long node_write(struct file *f, uintptr_t ubuf, size_t len)
{
    (void)f, (void)ubuf, (void)len;
    return -EBADF;
}

static int node_stat(struct file *f, struct kstat *st)
{
    initfs_node_stat(f->priv, st);
    return 0;
}

static unsigned char dtype(const struct initfs_node *n)
{
    switch (n->mode & S_IFMT) {
    case S_IFDIR:
        return DIRENT_DT_DIR;
    case S_IFLNK:
        return DIRENT_DT_LNK;
    default:
        return DIRENT_DT_REG;
    }
}

/* One dirent for n at ubuf; its length, 0 if it does not fit, or -EFAULT. */
static long put_dirent(const struct initfs_node *n, uint64_t next_off, uintptr_t ubuf, size_t room)
{
    const char *base = n->name;

    for (const char *c = n->name; *c; c++)
        if (*c == '/')
            base = c + 1;
    return dirent_put(ubuf, room, n->ino, next_off, dtype(n), base, strnlen(base, DIRENT_NAME_MAX));
}

static long node_getdents(struct file *f, uintptr_t ubuf, size_t len)
{
    const struct initfs_node *dir = f->priv, *n;
    size_t done = 0, cursor = (size_t)f->offset;

    if ((dir->mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    for (;;) {
        size_t before = cursor;
        n = initfs_child(dir, &cursor);
        if (!n)
            break;
        long r = put_dirent(n, cursor, ubuf + done, len - done);
        if (r < 0)
            return r;
        if (r == 0) {
            if (done == 0)
                return -EINVAL;
            cursor = before;
            break;
        }
        done += (size_t)r;
    }
    f->offset = cursor;
    return (long)done;
}

static unsigned node_poll(struct file *f)
{
    (void)f;
    return POLLIN | POLLOUT;
}

static int node_dirpath(struct file *f, char *buf, size_t size)
{
    const struct initfs_node *n = f->priv;

    if ((n->mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    if (n->name_len + 2 > size)
        return -ENAMETOOLONG;
    buf[0] = '/';
    memcpy(buf + 1, n->name, n->name_len + 1);
    return 0;
}

static const struct file_ops initfs_ops = {
    .read = node_read,
    .write = node_write,
    .pread = node_pread,
    .kread = node_kread,
    .mmap = node_mmap,
    .stat = node_stat,
    .getdents = node_getdents,
    .poll = node_poll,
    .dirpath = node_dirpath,
    .seekable = true,
};

struct file *initfs_file_open(const struct initfs_node *n, unsigned flags)
{
    return file_new(&initfs_ops, flags, (void *)n);
}
