/* kernel/fs/path.c: path normalisation and routing (see path.h). */
#include "fs/console.h"
#include "fs/initfs_file.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"

#define DEV_NULL "/dev/null"
#define DEV_CONSOLE "/dev/console"
#define DEV_TTY "/dev/tty"

/* Append component [c, c + len) to out (length *n), handling "." and "..". */
static int push(char *out, size_t *n, const char *c, size_t len)
{
    if (len == 0 || (len == 1 && c[0] == '.'))
        return 0;
    if (len == 2 && c[0] == '.' && c[1] == '.') {
        while (*n > 0 && out[*n - 1] != '/')
            (*n)--;
        if (*n > 0)
            (*n)--;
        return 0;
    }
    if (*n + 1 + len >= PATH_MAX_LEN)
        return -ENAMETOOLONG;
    out[(*n)++] = '/';
    memcpy(out + *n, c, len);
    *n += len;
    return 0;
}

static int push_all(char *out, size_t *n, const char *p)
{
    while (*p) {
        const char *c = p;
        while (*p && *p != '/')
            p++;
        int err = push(out, n, c, (size_t)(p - c));
        if (err)
            return err;
        while (*p == '/')
            p++;
    }
    return 0;
}

int path_resolve(const char *cwd, const char *path, char *out)
{
    size_t n = 0;
    int err;

    if (path[0] == '\0')
        return -ENOENT;
    if (path[0] != '/' && (err = push_all(out, &n, cwd)) < 0)
        return err;
    if ((err = push_all(out, &n, path)) < 0)
        return err;
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return 0;
}

static long null_read(struct file *f, uintptr_t ubuf, size_t len)
{
    (void)f, (void)ubuf, (void)len;
    return 0;
}

static long null_write(struct file *f, uintptr_t ubuf, size_t len)
{
    (void)f, (void)ubuf;
    return (long)len;
}

static int null_stat(struct file *f, struct kstat *st)
{
    (void)f;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0666;
    st->st_rdev = (1u << 8) | 3;
    st->st_ino = 2;
    st->st_nlink = 1;
    return 0;
}

static unsigned null_poll(struct file *f)
{
    (void)f;
    return POLLIN | POLLOUT;
}

static const struct file_ops null_ops = {
    .read = null_read, .write = null_write, .stat = null_stat, .poll = null_poll,
};

static int open_device(const char *abs, unsigned flags, struct file **out)
{
    if (strcmp(abs, DEV_NULL) == 0)
        *out = file_new(&null_ops, flags, NULL);
    else if (strcmp(abs, DEV_CONSOLE) == 0 || strcmp(abs, DEV_TTY) == 0)
        *out = console_file_open(flags);
    else
        return -ENOENT;
    return *out ? 0 : -ENOMEM;
}

int path_open(const char *abs, unsigned flags, struct file **out)
{
    const struct initfs_node *n;
    bool dir;

    if (open_device(abs, flags, out) != -ENOENT)
        return *out ? 0 : -ENOMEM;
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

int path_stat(const char *abs, struct kstat *st)
{
    struct file *f;
    int err = path_open(abs, O_RDONLY, &f);

    if (err)
        return err;
    err = f->ops->stat ? f->ops->stat(f, st) : -EINVAL;
    file_put(f);
    return err;
}
