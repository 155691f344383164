/* kernel/fs/console.c: the console device: one tty (tty.c) whose output goes
 * to every console sink (serial, framebuffer) and whose input is the serial
 * line and what a keyboard service types through debug:input. */
#include "arch/x86_64/interrupts.h"
#include "arch/x86_64/trap.h"
#include "console/console.h"
#include "fs/console.h"
#include "fs/console_output.h"
#include "fs/tty.h"
#include "sched/sched.h"
#ifdef ANVIL_FEATURE_SERIAL
#include "dev/serial.h"
#endif

#define SERIAL_IRQ 4
#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80
#define CONSOLE_MAJOR 5       /* /dev/console is 5:1 (Linux devices.txt) */
#define CONSOLE_MINOR 1
#define CONSOLE_INO 3
#define RDEV(major, minor) (((major) << 8) | (minor))

/* Output-processed bytes for a console service (it draws what a VT would
 * get: NL alone only moves down): what the ring took. */
static long to_service(struct tty *t, const char *buf, size_t n, bool may_sleep)
{
    size_t done = 0;

    while (done < n) {
        char cooked[2];
        size_t k = tty_cook(t, buf[done], cooked);
        long took = console_output_queue(cooked, k, may_sleep);
        if (took < 0)
            return done ? (long)done : took;
        if ((size_t)took < k)
            break;   /* full: an echo is dropped, a signal cut the write */
        done++;
    }
    con_serial_write(buf, done);
    return (long)done;
}

/* The kernel's sinks never refuse a byte; they translate newlines themselves. */
static long con_output(struct tty *t, const char *buf, size_t n, bool may_sleep)
{
    if (console_output_attached())
        return to_service(t, buf, n, may_sleep);
    con_write(buf, n);
    return (long)n;
}

static void con_stat(const struct tty *t, struct kstat *st)
{
    (void)t;
    st->st_mode = S_IFCHR | 0620;
    st->st_rdev = RDEV(CONSOLE_MAJOR, CONSOLE_MINOR);
    st->st_ino = CONSOLE_INO;
}

static const struct tty_driver console_driver = {
    .output = con_output,
    .stat = con_stat,
};

/* Written once, at the first use (boot, before any process). */
static struct tty con_tty;

static struct tty *console_tty(void)
{
    if (!con_tty.drv)
        tty_init(&con_tty, &console_driver, NULL, CONSOLE_ROWS, CONSOLE_COLS);
    return &con_tty;
}

void console_default_size(void)
{
    tty_resize(console_tty(), &(struct kwinsize){.ws_row = CONSOLE_ROWS, .ws_col = CONSOLE_COLS});
}

void console_receive(const char *buf, size_t n)
{
    tty_receive(console_tty(), buf, n);
}

#ifdef ANVIL_FEATURE_SERIAL
static void poll_input(void)
{
    int c;

    while ((c = serial_try_getc()) >= 0)
        tty_receive(console_tty(), &(char){(char)c}, 1);
}

static void serial_irq(struct x86_regs *r)
{
    (void)r;
    poll_input();
    x86_interrupt_done();
}
#endif /* ANVIL_FEATURE_SERIAL */

/* Without a serial port the input comes only from a keyboard service
 * through debug:input (console_receive). */
void console_file_init(void)
{
    console_tty();
#ifdef ANVIL_FEATURE_SERIAL
    x86_irq_register(X86_VECTOR_IRQ_BASE + SERIAL_IRQ, serial_irq);
    if (x86_isa_irq_enable(SERIAL_IRQ) == 0)
        serial_enable_rx_irq();
    sched_add_tick_hook(poll_input);
#endif
}

struct file *console_file_open(unsigned flags)
{
    struct file *f = NULL;

    tty_open(console_tty(), flags, &f);
    return f;
}
