/* kernel/scheme/irq.c: the irq: scheme, interrupts for user-mode drivers.
 * open("irq:N") (with an irq grant for N, an ISA line 0..15 the kernel does
 * not use itself) routes IRQ N through the IO-APIC and unmasks it. When it
 * fires the kernel counts it and masks the line; read() blocks until the
 * count passes what this fd saw last and returns it (8 bytes, uint64_t);
 * write() acknowledges, unmasking the line after the driver has quietened
 * its device. The last close masks the line again. */
#include <anvil/syscall.h>

#include "arch/x86_64/interrupts.h"
#include "arch/x86_64/trap.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "sched/sched.h"
#include "scheme/grantcheck.h"
#include "scheme/kschemes.h"

#define IRQ_LINES 16   /* the ISA lines (ACPI_ISA_IRQS) */

/* One ISA line (single CPU; the handler runs with interrupts off and so do
 * syscalls in the kernel). Sleepers wait on the struct. */
struct irq_line {
    unsigned opens;
    uint64_t fired;   /* interrupts since boot */
};

static struct irq_line lines[IRQ_LINES];

/* One open fd: its line and the count it returned last. */
struct irq_handle {
    unsigned irq;
    uint64_t seen;
};

static void irq_fire(struct x86_regs *r)
{
    unsigned irq = (unsigned)(r->vector - X86_VECTOR_IRQ_BASE);

    lines[irq].fired++;
    x86_isa_irq_mask(irq, true);   /* until the driver acknowledges */
    x86_interrupt_done();
    sched_wakeup(&lines[irq]);
    file_poll_notify();
}

static long irq_read(struct file *f, uintptr_t ubuf, size_t len)
{
    struct irq_handle *h = f->priv;
    struct irq_line *l = &lines[h->irq];
    uint64_t count;

    if (len < sizeof(count))
        return -EINVAL;
    while (l->fired == h->seen) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        int err = sched_sleep(l, 0, true);
        if (err)
            return err;
    }
    count = l->fired;
    if (copy_to_user(ubuf, &count, sizeof(count)) < 0)
        return -EFAULT;
    h->seen = count;
    return sizeof(count);
}

static long irq_write(struct file *f, uintptr_t ubuf, size_t len)
{
    struct irq_handle *h = f->priv;

    (void)ubuf;
    x86_isa_irq_mask(h->irq, false);
    return (long)len;
}

static unsigned irq_poll(struct file *f)
{
    struct irq_handle *h = f->priv;

    return (lines[h->irq].fired != h->seen ? POLLIN : 0) | POLLOUT;
}

static int irq_stat(struct file *f, struct kstat *st)
{
    struct irq_handle *h = f->priv;

    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0600;
    st->st_nlink = 1;
    st->st_ino = h->irq + 1;
    return 0;
}

static void line_release(unsigned irq)
{
    if (--lines[irq].opens == 0)
        x86_isa_irq_mask(irq, true);
}

static void irq_release(struct file *f)
{
    struct irq_handle *h = f->priv;

    line_release(h->irq);
    kfree(h);
}

static const struct file_ops irq_file_ops = {
    .read = irq_read, .write = irq_write, .poll = irq_poll, .stat = irq_stat,
    .release = irq_release,
};

/* Take the line for irq: handlers (first open routes and unmasks it): 0 or -errno. */
static int line_claim(unsigned irq)
{
    unsigned vector = X86_VECTOR_IRQ_BASE + irq;
    x86_irq_fn cur = x86_irq_handler(vector);
    int err;

    if (cur && cur != irq_fire)
        return -EBUSY;   /* the kernel drives this line itself (the serial port) */
    if (lines[irq].opens++ > 0)
        return 0;
    x86_irq_register(vector, irq_fire);
    if ((err = x86_isa_irq_enable(irq)) < 0)
        lines[irq].opens--;
    return err;
}

static int irq_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                    struct file **out)
{
    struct irq_handle *h;
    uint64_t start, end;
    int err;

    (void)s, (void)mode;
    if ((err = grant_parse_range(path, &start, &end)) < 0)
        return err;
    if (start != end || start >= IRQ_LINES)
        return -EINVAL;
    if ((err = grant_check(ANVIL_GRANT_IRQ, start, end)) < 0)
        return err;
    if (!(h = kzalloc(sizeof(*h))))
        return -ENOMEM;
    h->irq = (unsigned)start;
    h->seen = lines[start].fired;
    if ((err = line_claim(h->irq)) < 0)
        goto out;
    if (!(*out = file_new(&irq_file_ops, flags & (O_ACCMODE | O_NONBLOCK), h))) {
        err = -ENOMEM;
        line_release(h->irq);
        goto out;
    }
    return 0;
out:
    kfree(h);
    return err;
}

static const struct scheme_ops irq_ops = {.open = irq_open};
static struct scheme irq_scheme = {.name = "irq", .ops = &irq_ops};

void kscheme_irq_init(void)
{
    scheme_register(&irq_scheme);
}
