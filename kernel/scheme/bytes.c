/* kernel/scheme/bytes.c: the null:, zero:, full: and rand: schemes (and so
 * /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom): endless byte
 * sources and a sink. rand: is the kernel's ChaCha20 generator (lib/random.c). */
#include "lib/errno.h"
#include "lib/random.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "scheme/kschemes.h"

#define CHUNK 256
#define MEM_MAJOR 1           /* Linux's mem devices (devices.txt): the kind is the minor */
#define RANDOM_PATH "random"  /* rand:random is /dev/random, minor 8; the rest urandom */

enum bytes_kind {
    BYTES_NULL = 3, BYTES_ZERO = 5, BYTES_FULL = 7, BYTES_RANDOM = 8, BYTES_RAND = 9,
};

static long fill(struct file *f, uintptr_t ubuf, size_t len)
{
    uint8_t buf[CHUNK];
    size_t done = 0;

    if ((uintptr_t)f->priv == BYTES_NULL)
        return 0;
    memset(buf, 0, sizeof(buf));
    while (done < len) {
        size_t n = len - done < CHUNK ? len - done : CHUNK;
        if ((uintptr_t)f->priv == BYTES_RAND || (uintptr_t)f->priv == BYTES_RANDOM)
            random_fill(buf, n);
        if (copy_to_user(ubuf + done, buf, n) < 0)
            return done ? (long)done : -EFAULT;
        done += n;
    }
    return (long)done;
}

/* Everything is taken, except by full:, which is always out of space. */
static long sink(struct file *f, uintptr_t ubuf, size_t len)
{
    (void)ubuf;
    if ((uintptr_t)f->priv == BYTES_FULL)
        return len ? -ENOSPC : 0;
    return (long)len;
}

static int bytes_stat(struct file *f, struct kstat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0666;
    st->st_rdev = (MEM_MAJOR << 8) | (uint64_t)(uintptr_t)f->priv;
    st->st_ino = 2 + (uint64_t)(uintptr_t)f->priv;
    st->st_nlink = 1;
    return 0;
}

static unsigned bytes_poll(struct file *f)
{
    (void)f;
    return POLLIN | POLLOUT;
}

static const struct file_ops bytes_file_ops = {
    .read = fill, .write = sink, .stat = bytes_stat, .poll = bytes_poll,
};

static int bytes_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                      struct file **out)
{
    void *kind = s->priv;

    (void)mode;
    if ((uintptr_t)kind == BYTES_RAND && strcmp(path, RANDOM_PATH) == 0)
        kind = (void *)BYTES_RANDOM;
    *out = file_new(&bytes_file_ops, flags & (O_ACCMODE | O_NONBLOCK), kind);
    return *out ? 0 : -ENOMEM;
}

static const struct scheme_ops bytes_ops = {.open = bytes_open};
static struct scheme null_scheme = {.name = "null", .ops = &bytes_ops, .priv = (void *)BYTES_NULL};
static struct scheme zero_scheme = {.name = "zero", .ops = &bytes_ops, .priv = (void *)BYTES_ZERO};
static struct scheme full_scheme = {.name = "full", .ops = &bytes_ops, .priv = (void *)BYTES_FULL};
static struct scheme rand_scheme = {.name = "rand", .ops = &bytes_ops, .priv = (void *)BYTES_RAND};

void kscheme_bytes_init(void)
{
    scheme_register(&null_scheme);
    scheme_register(&zero_scheme);
    scheme_register(&full_scheme);
    scheme_register(&rand_scheme);
}
