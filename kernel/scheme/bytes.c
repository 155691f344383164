/* kernel/scheme/bytes.c: the null:, zero: and rand: schemes (and so
 * /dev/null, /dev/zero, /dev/random, /dev/urandom): endless byte sources and
 * a sink. rand: is xorshift128+, not for keys. */
#include "lib/errno.h"
#include "lib/random.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "scheme/kschemes.h"

#define CHUNK 256
#define MEM_MAJOR 1           /* Linux's mem devices: null 3, zero 5, urandom 9 */

enum bytes_kind { BYTES_NULL = 3, BYTES_ZERO = 5, BYTES_RAND = 9 };

static long fill(struct file *f, uintptr_t ubuf, size_t len)
{
    uint8_t buf[CHUNK];
    size_t done = 0;

    if ((uintptr_t)f->priv == BYTES_NULL)
        return 0;
    memset(buf, 0, sizeof(buf));
    while (done < len) {
        size_t n = len - done < CHUNK ? len - done : CHUNK;
        if ((uintptr_t)f->priv == BYTES_RAND)
            random_fill(buf, n);
        if (copy_to_user(ubuf + done, buf, n) < 0)
            return done ? (long)done : -EFAULT;
        done += n;
    }
    return (long)done;
}

static long sink(struct file *f, uintptr_t ubuf, size_t len)
{
    (void)f, (void)ubuf;
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
    (void)path, (void)mode;
    *out = file_new(&bytes_file_ops, flags & (O_ACCMODE | O_NONBLOCK), s->priv);
    return *out ? 0 : -ENOMEM;
}

static const struct scheme_ops bytes_ops = {.open = bytes_open};
static struct scheme null_scheme = {.name = "null", .ops = &bytes_ops, .priv = (void *)BYTES_NULL};
static struct scheme zero_scheme = {.name = "zero", .ops = &bytes_ops, .priv = (void *)BYTES_ZERO};
static struct scheme rand_scheme = {.name = "rand", .ops = &bytes_ops, .priv = (void *)BYTES_RAND};

void kscheme_bytes_init(void)
{
    scheme_register(&null_scheme);
    scheme_register(&zero_scheme);
    scheme_register(&rand_scheme);
}
