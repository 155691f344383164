/* kernel/fs/console_input.c: debug:input, the one way a keyboard service
 * types into the console: a write-only file whose bytes go through the
 * console's line discipline as serial input does. Only a holder of the
 * console-input grant may open it or write to it, so a program handed the
 * fd (or one that kept it past a narrowing) cannot inject keystrokes. */
#include <anvil/syscall.h>

#include "fs/console.h"
#include "fs/console_input.h"
#include "fs/tty.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "scheme/grantcheck.h"

/* One write takes at most this much: typing never comes in bigger bursts,
 * and the kernel is not preemptible while it processes them. */
#define INPUT_WRITE_MAX 4096

static int allowed(void)
{
    return grant_check(ANVIL_GRANT_CONSOLE_INPUT, 0, 0);
}

static long typed(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    console_receive(s, n);
    return (long)n;
}

static long input_write(struct file *f, uintptr_t ubuf, size_t len)
{
    int err = allowed();

    (void)f;
    if (err)
        return err;
    return tty_copy_in(ubuf, len > INPUT_WRITE_MAX ? INPUT_WRITE_MAX : len, typed, NULL);
}

static int input_stat(struct file *f, struct kstat *st)
{
    (void)f;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0200;
    st->st_ino = 4;
    st->st_nlink = 1;
    st->st_blksize = INPUT_WRITE_MAX;
    return 0;
}

static unsigned input_poll(struct file *f)
{
    (void)f;
    return POLLOUT;
}

static const struct file_ops input_ops = {
    .write = input_write,
    .stat = input_stat,
    .poll = input_poll,
};

int console_input_open(unsigned flags, struct file **out)
{
    int err = allowed();

    if (err)
        return err;
    if ((flags & O_ACCMODE) != O_WRONLY)
        return -EINVAL;   /* nothing to read: typed bytes come out of the console */
    *out = file_new(&input_ops, flags & (O_ACCMODE | O_NONBLOCK), NULL);
    return *out ? 0 : -ENOMEM;
}
