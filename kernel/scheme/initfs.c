/* kernel/scheme/initfs.c: the initfs: scheme: the read-only boot archive.
 * Plain /paths reach it until a daemon registers "file". */
#include "fs/initfs_file.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "scheme/kschemes.h"

static int initfs_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                       struct file **out)
{
    char abs[PATH_MAX_LEN];
    const struct initfs_node *n;
    bool dir;

    (void)s, (void)mode;
    abs[0] = '/';
    strlcpy(abs + 1, path, sizeof(abs) - 1);
    n = initfs_lookup(abs);
    if (!n)
        return (flags & O_CREAT) ? -EROFS : -ENOENT;
    dir = (n->mode & S_IFMT) == S_IFDIR;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return dir ? -EISDIR : -EROFS;
    if ((flags & O_DIRECTORY) && !dir)
        return -ENOTDIR;
    *out = initfs_file_open(n, flags);
    return *out ? 0 : -ENOMEM;
}

static const struct scheme_ops initfs_scheme_ops = {.open = initfs_open};
static struct scheme initfs_scheme = {.name = "initfs", .ops = &initfs_scheme_ops};

void kscheme_initfs_init(void)
{
    scheme_register(&initfs_scheme);
}
