/* kernel/scheme/textfile.c: snapshot files (see textfile.h). */
#include <stdarg.h>

#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "scheme/textfile.h"

#define TEXT_MIN_CAP 256

struct textfile {
    char *data;
    size_t len;
    unsigned mode;
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

static int tf_stat(struct file *f, struct kstat *st)
{
    struct textfile *t = f->priv;

    memset(st, 0, sizeof(*st));
    st->st_mode = t->mode | 0444;
    st->st_nlink = 1;
    st->st_size = (int64_t)t->len;
    st->st_blksize = 4096;
    st->st_ino = (uint64_t)(uintptr_t)t >> 4;
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
    kfree(t);
}

static const struct file_ops textfile_ops = {
    .read = tf_read, .pread = tf_pread, .stat = tf_stat, .poll = tf_poll,
    .release = tf_release, .seekable = true,
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
    return 0;
}
