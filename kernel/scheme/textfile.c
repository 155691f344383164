/* kernel/scheme/textfile.c: snapshot files and directories (see textfile.h). */
#include <stdarg.h>

#include "fs/dirent.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "scheme/textfile.h"

#define TEXT_MIN_CAP 256
#define DIR_PERMS 0555
#define FILE_PERMS 0444
#define DT_UNKNOWN 0
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10
/* getdents cursors 0 and 1 are "." and ".."; then 2 + the line's byte offset. */
#define CURSOR_DOT 0
#define CURSOR_DOTDOT 1
#define CURSOR_LINES 2

struct textfile {
    char *data;
    size_t len;
    unsigned mode;
    char *path;       /* directories from textfile_open_dir: the canonical path */
};

static void reserve(struct textbuf *tb, size_t more)
{
    size_t cap = tb->cap ? tb->cap : TEXT_MIN_CAP;
    char *n;

    if (tb->failed || tb->len + more <= tb->cap)
        return;
    while (cap < tb->len + more)
        cap *= 2;
    if (!(n = kmalloc(cap))) {
        tb->failed = true;
        return;
    }
    if (tb->data)
        memcpy(n, tb->data, tb->len);
    kfree(tb->data);
    tb->data = n;
    tb->cap = cap;
}

void textbuf_append(struct textbuf *tb, const char *s, size_t n)
{
    reserve(tb, n);
    if (tb->failed)
        return;
    memcpy(tb->data + tb->len, s, n);
    tb->len += n;
}

static void sink(void *ctx, const char *s, size_t n)
{
    textbuf_append(ctx, s, n);
}

void textbuf_printf(struct textbuf *tb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fmt_vformat(sink, tb, fmt, ap);
    va_end(ap);
}

static long tf_pread(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    struct textfile *t = f->priv;
    size_t n;

    if (off >= t->len)
        return 0;
    n = t->len - off < len ? t->len - off : len;
    return copy_to_user(ubuf, t->data + off, n) < 0 ? -EFAULT : (long)n;
}

static long tf_read(struct file *f, uintptr_t ubuf, size_t len)
{
    long r = tf_pread(f, ubuf, len, f->offset);

    if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

void textbuf_dirent(struct textbuf *tb, const char *name, char type)
{
    if (type)
        textbuf_printf(tb, "%s%c\n", name, type);
    else
        textbuf_printf(tb, "%s\n", name);
}

static int tf_stat(struct file *f, struct kstat *st)
{
    struct textfile *t = f->priv;
    bool dir = (t->mode & S_IFMT) == S_IFDIR;

    memset(st, 0, sizeof(*st));
    st->st_mode = t->mode | (dir ? DIR_PERMS : FILE_PERMS);
    st->st_nlink = dir ? 2 : 1;
    st->st_size = (int64_t)t->len;
    st->st_blksize = 4096;
    st->st_ino = (uint64_t)(uintptr_t)t >> 4;
    return 0;
}

/* The line at byte off of a listing: where its name starts and ends (the
 * type suffix cut off), its d_type; returns the next line's offset. */
static size_t listing_line(const struct textfile *t, size_t off, size_t *name_len, uint8_t *dtype)
{
    size_t end = off;

    while (end < t->len && t->data[end] != '\n')
        end++;
    *name_len = end - off;
    *dtype = DT_REG;
    if (*name_len > 1 && t->data[end - 1] == '/')
        *dtype = DT_DIR;
    else if (*name_len > 1 && t->data[end - 1] == '@')
        *dtype = DT_LNK;
    else if (*name_len > 1 && t->data[end - 1] == '?')
        *dtype = DT_UNKNOWN;
    if (*dtype != DT_REG)
        (*name_len)--;
    return end < t->len ? end + 1 : end;
}

/* The entry at cursor c: its name, length and type, and the next cursor;
 * false at the end. */
static bool entry_at(const struct textfile *t, uint64_t c, const char **name, size_t *nlen,
                     uint8_t *dtype, uint64_t *next)
{
    if (c <= CURSOR_DOTDOT) {
        *name = c == CURSOR_DOT ? "." : "..";
        *nlen = c == CURSOR_DOT ? 1 : 2;
        *dtype = DT_DIR;
        *next = c + 1;
        return true;
    }
    if (c - CURSOR_LINES >= t->len)
        return false;
    *name = t->data + (c - CURSOR_LINES);
    *next = CURSOR_LINES + listing_line(t, (size_t)(c - CURSOR_LINES), nlen, dtype);
    return true;
}

static long tf_getdents(struct file *f, uintptr_t ubuf, size_t len)
{
    struct textfile *t = f->priv;
    size_t done = 0;
    uint64_t c = f->offset, next;
    const char *name;
    size_t nlen;
    uint8_t dtype;

    if ((t->mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    while (entry_at(t, c, &name, &nlen, &dtype, &next)) {
        long r = dirent_put(ubuf + done, len - done, c + 1, next, dtype, name, nlen);
        if (r < 0)
            return done ? (long)done : r;
        if (r == 0) {
            if (done == 0)
                return -EINVAL;
            break;
        }
        done += (size_t)r;
        c = next;
    }
    f->offset = c;
    return (long)done;
}

static int tf_dirpath(struct file *f, char *buf, size_t size)
{
    struct textfile *t = f->priv;

    if (!t->path)
        return -ENOTDIR;
    if (strlen(t->path) + 1 > size)
        return -ENAMETOOLONG;
    strlcpy(buf, t->path, size);
    return 0;
}

static unsigned tf_poll(struct file *f)
{
    (void)f;
    return POLLIN;
}

static void tf_release(struct file *f)
{
    struct textfile *t = f->priv;

    kfree(t->data);
    kfree(t->path);
    kfree(t);
}

static const struct file_ops textfile_ops = {
    .read = tf_read, .pread = tf_pread, .stat = tf_stat, .poll = tf_poll,
    .getdents = tf_getdents, .dirpath = tf_dirpath, .release = tf_release, .seekable = true,
};

int textfile_open(struct textbuf *tb, unsigned flags, unsigned mode, struct file **out)
{
    struct textfile *t = NULL;

    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) {
        kfree(tb->data);
        return -EROFS;
    }
    if (tb->failed || !(t = kmalloc(sizeof(*t))) || !(*out = file_new(&textfile_ops, flags, t))) {
        kfree(t);
        kfree(tb->data);
        return -ENOMEM;
    }
    t->data = tb->data;
    t->len = tb->len;
    t->mode = mode;
    t->path = NULL;
    return 0;
}

int textfile_open_dir(struct textbuf *tb, unsigned flags, const char *path, struct file **out)
{
    size_t n = strlen(path) + 1;
    char *copy;
    int err;

    if (n > PATH_MAX_LEN) {
        kfree(tb->data);
        return -ENAMETOOLONG;
    }
    if (!(copy = kmalloc(n))) {
        kfree(tb->data);
        return -ENOMEM;
    }
    memcpy(copy, path, n);
    if ((err = textfile_open(tb, flags, S_IFDIR, out)) < 0) {
        kfree(copy);
        return err;
    }
    ((struct textfile *)(*out)->priv)->path = copy;
    return 0;
}
