/* kernel/scheme/initfs.c: the initfs: scheme: the read-only boot archive.
 * Plain /paths reach it until a daemon registers "file". Symbolic links in
 * the archive are followed (fs/initfs.c); everything that would change it
 * is EROFS (the dispatcher's answer for the missing ops). */
#include <anvil/scheme.h>

#include "fs/initfs_file.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "scheme/kschemes.h"

static int initfs_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                       struct file **out)
{
    const struct initfs_node *n;
    bool dir;
    int err;

    (void)s, (void)mode;
    if ((err = initfs_resolve(path, !(flags & O_NOFOLLOW), &n)) < 0)
        return err == -ENOENT && (flags & O_CREAT) ? -EROFS : err;
    dir = (n->mode & S_IFMT) == S_IFDIR;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if ((n->mode & S_IFMT) == S_IFLNK && !(flags & O_PATH))
        return -ELOOP;   /* O_NOFOLLOW on a link */
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return dir ? -EISDIR : -EROFS;
    if ((flags & O_DIRECTORY) && !dir)
        return -ENOTDIR;
    *out = initfs_file_open(n, flags);
    return *out ? 0 : -ENOMEM;
}

static int initfs_stat(struct scheme *s, const char *path, unsigned flags, struct kstat *st)
{
    const struct initfs_node *n;
    int err = initfs_resolve(path, !(flags & ANVIL_PATH_NOFOLLOW), &n);

    (void)s;
    if (err)
        return err;
    initfs_node_stat(n, st);
    return 0;
}

static long initfs_readlink(struct scheme *s, const char *path, char *buf, size_t size)
{
    const struct initfs_node *n;
    int err = initfs_resolve(path, false, &n);

    (void)s;
    if (err)
        return err;
    if ((n->mode & S_IFMT) != S_IFLNK)
        return -EINVAL;
    if (size > n->size)
        size = n->size;
    memcpy(buf, n->data, size);
    return (long)size;
}

static const struct scheme_ops initfs_scheme_ops = {
    .open = initfs_open, .stat = initfs_stat, .readlink = initfs_readlink,
};
static struct scheme initfs_scheme = {.name = "initfs", .ops = &initfs_scheme_ops};

void kscheme_initfs_init(void)
{
    scheme_register(&initfs_scheme);
}
