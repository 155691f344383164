/* kernel/fs/console_output.c: debug:output, the console's screen bytes for a
 * console service (fbcond) that draws them. A bounded ring: tty writers wait
 * for room, echoes and kernel messages that find it full are dropped. Only a
 * holder of the console-output grant may open it or read it, so no program
 * can watch what the user's shell prints. */
#include <anvil/syscall.h>

#include "console/console.h"
#include "fs/console.h"
#include "fs/console_output.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "scheme/grantcheck.h"
#include "sched/sched.h"

#define OUTPUT_RING 16384

/* Single CPU, interrupts off in the kernel: no lock. Readers sleep on ring,
 * writers on ring_head. */
static struct {
    struct file *reader;      /* the attached file, NULL: fbcon draws */
    char ring[OUTPUT_RING];
    size_t head, count;
} out;

static int allowed(void)
{
    return grant_check(ANVIL_GRANT_CONSOLE_OUTPUT, 0, 0);
}

static void changed(bool filled)
{
    sched_wakeup(filled ? (const void *)out.ring : (const void *)&out.head);
    file_poll_notify();
}

static size_t push(const char *s, size_t n)
{
    size_t done = 0;

    while (done < n && out.count < OUTPUT_RING) {
        out.ring[(out.head + out.count) % OUTPUT_RING] = s[done++];
        out.count++;
    }
    if (done)
        changed(true);
    return done;
}

/* Kernel messages (kprintf) while a reader draws: NL as CR NL, as ONLCR. */
static void take_kernel_char(char c)
{
    if (c == '\n')
        push("\r", 1);
    push(&c, 1);
}

bool console_output_attached(void)
{
    return out.reader != NULL;
}

long console_output_queue(const char *s, size_t n, bool may_sleep)
{
    size_t done = push(s, n);

    while (done < n && may_sleep && out.reader) {
        int err = sched_sleep(&out.head, 0, true);
        if (err)
            return done ? (long)done : err;
        done += push(s + done, n - done);
    }
    return out.reader ? (long)done : (long)n;   /* detached meanwhile: fbcon drew */
}

static long output_read(struct file *f, uintptr_t ubuf, size_t len)
{
    size_t done = 0;
    int err;

    if ((err = allowed()) != 0)
        return err;
    while (out.count == 0) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if ((err = sched_sleep(out.ring, 0, true)) != 0)
            return err;
    }
    while (done < len && out.count) {
        size_t n = OUTPUT_RING - out.head;
        if (n > out.count)
            n = out.count;
        if (n > len - done)
            n = len - done;
        if (copy_to_user(ubuf + done, out.ring + out.head, n) < 0)
            break;
        out.head = (out.head + n) % OUTPUT_RING;
        out.count -= n;
        done += n;
    }
    changed(false);
    return done || len == 0 ? (long)done : -EFAULT;
}

static unsigned output_poll(struct file *f)
{
    (void)f;
    return out.count ? POLLIN : 0;
}

static int output_stat(struct file *f, struct kstat *st)
{
    (void)f;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0400;
    st->st_ino = 5;
    st->st_nlink = 1;
    st->st_blksize = OUTPUT_RING;
    return 0;
}

/* The service went (closed it or died): fbcon draws again, in its size. */
static void output_release(struct file *f)
{
    if (out.reader != f)
        return;
    out.reader = NULL;
    out.head = out.count = 0;
    con_set_screen_taker(NULL);
    console_default_size();
    changed(false);   /* writers waiting for room go on, to fbcon */
}

static const struct file_ops output_ops = {
    .read = output_read,
    .poll = output_poll,
    .stat = output_stat,
    .release = output_release,
};

int console_output_open(unsigned flags, struct file **res)
{
    int err = allowed();

    if (err)
        return err;
    if ((flags & O_ACCMODE) != O_RDONLY)
        return -EINVAL;   /* the screen's bytes only go out */
    if (out.reader)
        return -EBUSY;
    if (!(*res = file_new(&output_ops, flags & (O_ACCMODE | O_NONBLOCK), NULL)))
        return -ENOMEM;
    out.reader = *res;
    out.head = 0;
    out.count = con_screen_history(out.ring, OUTPUT_RING / 2);   /* the screen so far */
    con_set_screen_taker(take_kernel_char);
    return 0;
}
