/* kernel/fs/console.c: the console file. Input is cooked a line at a time
 * (like a tty in canonical mode): characters are echoed, backspace erases,
 * Enter (CR or LF) ends the line, ^D at the start of a line is end of file. */
#include "arch/x86_64/interrupts.h"
#include "arch/x86_64/trap.h"
#include "console/console.h"
#include "fs/console.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "sched/sched.h"
#ifdef ANVIL_FEATURE_SERIAL
#include "dev/serial.h"
#endif

#define LINE_MAX 1024
#define WRITE_CHUNK 256
/* One write prints at most this much: the kernel is not preemptible, and a
 * short write lets the caller (and everyone else) run before the rest. */
#define WRITE_MAX 65536
#define ASCII_BS 0x08
#define ASCII_DEL 0x7f
#define ASCII_EOT 0x04
#define SERIAL_IRQ 4
/* ioctl requests and sizes, Linux asm-generic/ioctls.h and termbits.h. */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define KTERMIOS_SIZE 36
#define TERM_ROWS 25
#define TERM_COLS 80
/* termios flags for a cooked tty: ICRNL, OPOST|ONLCR, CS8|CREAD, ISIG|ICANON|ECHO|ECHOE. */
#define TERM_IFLAG 0000400u
#define TERM_OFLAG 0000005u
#define TERM_CFLAG 0000277u
#define TERM_LFLAG 0000073u

/* The finished line not yet read (single CPU, interrupts off: no lock). */
static char ready[LINE_MAX];
static size_t ready_len, ready_off;
static bool ready_eof;
static const char console_chan;

#ifdef ANVIL_FEATURE_SERIAL
/* The line being typed (single CPU, interrupts off: no lock). */
static char editing[LINE_MAX];
static size_t editing_len;
static bool last_cr;   /* swallow the \n of a \r\n pair */

static void accept_char(char c)
{
    if (c == '\n' && last_cr) {
        last_cr = false;
        return;
    }
    last_cr = c == '\r';
    if (c == '\r')
        c = '\n';
    if (c == ASCII_BS || c == ASCII_DEL) {
        if (editing_len) {
            editing_len--;
            con_write("\b \b", 3);
        }
        return;
    }
    if (c == ASCII_EOT && editing_len == 0) {
        ready_eof = true;
    } else {
        if (editing_len < LINE_MAX - 1 || c == '\n')
            editing[editing_len++] = c;
        con_putc(c);
        if (c != '\n')
            return;
    }
    if (ready_len == ready_off) {
        memcpy(ready, editing, editing_len);
        ready_len = editing_len;
        ready_off = 0;
        editing_len = 0;
    }
    sched_wakeup(&console_chan);
    file_poll_notify();
}

static void poll_input(void)
{
    int c;

    while ((c = serial_try_getc()) >= 0)
        accept_char((char)c);
}

static void serial_irq(struct x86_regs *r)
{
    (void)r;
    poll_input();
    x86_interrupt_done();
}
#endif /* ANVIL_FEATURE_SERIAL */

/* Without a serial port there is no input yet (the keyboard will be a
 * service): reads block until a signal. */
void console_file_init(void)
{
#ifdef ANVIL_FEATURE_SERIAL
    x86_irq_register(X86_VECTOR_IRQ_BASE + SERIAL_IRQ, serial_irq);
    if (x86_isa_irq_enable(SERIAL_IRQ) == 0)
        serial_enable_rx_irq();
    sched_add_tick_hook(poll_input);
#endif
}

static long con_read(struct file *f, uintptr_t ubuf, size_t len)
{
    size_t n;
    int err;

    while (ready_len == ready_off && !ready_eof) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        err = sched_sleep(&console_chan, 0, true);
        if (err)
            return err;
    }
    if (ready_len == ready_off) {
        ready_eof = false;
        return 0;
    }
    n = ready_len - ready_off < len ? ready_len - ready_off : len;
    if (copy_to_user(ubuf, ready + ready_off, n) < 0)
        return -EFAULT;
    ready_off += n;
    return (long)n;
}

static long con_write_op(struct file *f, uintptr_t ubuf, size_t len)
{
    char buf[WRITE_CHUNK];
    size_t done = 0;

    (void)f;
    if (len > WRITE_MAX)
        len = WRITE_MAX;
    while (done < len) {
        size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
        if (copy_from_user(buf, ubuf + done, n) < 0)
            return done ? (long)done : -EFAULT;
        con_write(buf, n);
        done += n;
    }
    return (long)done;
}

static int con_stat(struct file *f, struct kstat *st)
{
    (void)f;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0620;
    st->st_rdev = (5u << 8) | 1;   /* like /dev/console, 5:1 */
    st->st_ino = 3;
    st->st_nlink = 1;
    st->st_blksize = 1024;
    return 0;
}

static long con_ioctl(struct file *f, unsigned long cmd, uintptr_t arg)
{
    uint32_t t[KTERMIOS_SIZE / 4] = {TERM_IFLAG, TERM_OFLAG, TERM_CFLAG, TERM_LFLAG};
    uint16_t ws[4] = {TERM_ROWS, TERM_COLS, 0, 0};
    int pgrp = 1;

    (void)f;
    switch (cmd) {
    case TCGETS:
        return copy_to_user(arg, t, KTERMIOS_SIZE);
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        return 0;   /* accepted, ignored: input stays cooked */
    case TIOCGWINSZ:
        return copy_to_user(arg, ws, sizeof(ws));
    case TIOCGPGRP:
        return copy_to_user(arg, &pgrp, sizeof(pgrp));
    case TIOCSPGRP:
        return 0;
    default:
        return -ENOTTY;
    }
}

static unsigned con_poll(struct file *f)
{
    (void)f;
    return POLLOUT | (ready_len != ready_off || ready_eof ? POLLIN : 0);
}

static const struct file_ops console_ops = {
    .read = con_read,
    .write = con_write_op,
    .stat = con_stat,
    .ioctl = con_ioctl,
    .poll = con_poll,
};

struct file *console_file_open(unsigned flags)
{
    return file_new(&console_ops, flags, NULL);
}
