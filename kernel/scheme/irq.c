/* kernel/scheme/irq.c: the irq: scheme, interrupts for user-mode drivers.
 * open("irq:N") (with an irq grant for N, an ISA line 0..15 the kernel does
 * not use itself) routes IRQ N through the IO-APIC and unmasks it. When it
 * fires the kernel counts it and masks the line; read() blocks until the
 * count passes what this fd saw last and returns it (8 bytes, uint64_t);
 * write() acknowledges, unmasking the line after the driver has quietened
 * its device. The last close masks the line again.
 * open("irq:msi") (an irq grant covering ANVIL_IRQ_MSI) allocates an MSI
 * vector of its own; pread at offset 0 gives the message (struct
 * anvil_irq_msi) the driver programs into its device. Reads count as for a
 * line; MSIs are edges, so nothing is masked and write() has nothing to do.
 * Close frees the vector. */
#include <anvil/syscall.h>

#include "arch/x86_64/interrupts.h"
#include "arch/x86_64/msi.h"
#include "arch/x86_64/trap.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "sched/sched.h"
#include "scheme/grantcheck.h"
#include "scheme/kschemes.h"
#include "scheme/textfile.h"

#define IRQ_LINES 16   /* the ISA lines (ACPI_ISA_IRQS) */

/* An ISA line or an MSI vector (single CPU; the handlers run with
 * interrupts off and so do syscalls in the kernel). Sleepers wait on the
 * struct. */
struct irq_line {
    unsigned opens;
    uint64_t fired;   /* interrupts since boot (since allocation for an MSI) */
    bool msi;
    unsigned num;     /* the ISA line, or the MSI vector */
};

static struct irq_line lines[IRQ_LINES];
static struct irq_line msis[X86_VECTOR_MSI_COUNT];

/* One open fd: its line and the count it returned last. */
struct irq_handle {
    struct irq_line *line;
    uint64_t seen;
};

static void wake(struct irq_line *l)
{
    l->fired++;
    x86_interrupt_done();
    sched_wakeup(l);
    file_poll_notify();
}

static void irq_fire(struct x86_regs *r)
{
    unsigned irq = (unsigned)(r->vector - X86_VECTOR_IRQ_BASE);

    x86_isa_irq_mask(irq, true);   /* until the driver acknowledges */
    wake(&lines[irq]);
}

static void msi_fire(struct x86_regs *r)
{
    wake(&msis[r->vector - X86_VECTOR_MSI_BASE]);
}

static long irq_read(struct file *f, uintptr_t ubuf, size_t len)
{
    struct irq_handle *h = f->priv;
    struct irq_line *l = h->line;
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
    if (!h->line->msi)
        x86_isa_irq_mask(h->line->num, false);
    return (long)len;
}

/* The MSI message of an irq:msi fd, at offset 0. */
static long irq_pread(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    struct irq_handle *h = f->priv;
    struct anvil_irq_msi m = {.vector = h->line->num};

    if (!h->line->msi)
        return -ESPIPE;   /* a line has no message */
    if (off != 0 || len < sizeof(m))
        return -EINVAL;
    x86_msi_message(h->line->num, &m.address, &m.data);
    if (copy_to_user(ubuf, &m, sizeof(m)) < 0)
        return -EFAULT;
    return sizeof(m);
}

static unsigned irq_poll(struct file *f)
{
    struct irq_handle *h = f->priv;

    return (h->line->fired != h->seen ? POLLIN : 0) | POLLOUT;
}

static int irq_stat(struct file *f, struct kstat *st)
{
    struct irq_handle *h = f->priv;

    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0600;
    st->st_nlink = 1;
    st->st_ino = h->line->msi ? h->line->num : h->line->num + 1;   /* vectors are past 16 */
    return 0;
}

static void line_release(struct irq_line *l)
{
    if (--l->opens > 0)
        return;
    if (l->msi)
        x86_msi_free(l->num);
    else
        x86_isa_irq_mask(l->num, true);
}

static void irq_release(struct file *f)
{
    struct irq_handle *h = f->priv;

    line_release(h->line);
    kfree(h);
}

static const struct file_ops irq_file_ops = {
    .read = irq_read, .write = irq_write, .pread = irq_pread, .poll = irq_poll,
    .stat = irq_stat, .release = irq_release,
};

/* Take ISA line irq for irq: handlers (first open routes and unmasks it):
 * the line, or NULL with *err. */
static struct irq_line *line_claim(unsigned irq, int *err)
{
    unsigned vector = X86_VECTOR_IRQ_BASE + irq;
    x86_irq_fn cur = x86_irq_handler(vector);

    *err = -EBUSY;
    if (cur && cur != irq_fire)
        return NULL;   /* the kernel drives this line itself (the serial port) */
    lines[irq].num = irq;
    if (lines[irq].opens++ > 0)
        return &lines[irq];
    x86_irq_register(vector, irq_fire);
    if ((*err = x86_isa_irq_enable(irq)) < 0) {
        lines[irq].opens--;
        return NULL;
    }
    return &lines[irq];
}

/* A new MSI vector for one fd: its line, or NULL with *err (EBUSY: none free). */
static struct irq_line *msi_claim(int *err)
{
    int vector = x86_msi_alloc(msi_fire);
    struct irq_line *l;

    if (vector < 0) {
        *err = vector;
        return NULL;
    }
    l = &msis[vector - X86_VECTOR_MSI_BASE];
    *l = (struct irq_line){.opens = 1, .msi = true, .num = (unsigned)vector};
    return l;
}

/* The line path names, claimed: irq:N or irq:msi, each behind its grant. */
static struct irq_line *path_claim(const char *path, int *err)
{
    uint64_t start, end;

    if (!strcmp(path, "msi")) {
        if ((*err = grant_check(ANVIL_GRANT_IRQ, ANVIL_IRQ_MSI, ANVIL_IRQ_MSI)) < 0)
            return NULL;
        return msi_claim(err);
    }
    if ((*err = grant_parse_range(path, &start, &end)) < 0)
        return NULL;
    if (start != end || start >= IRQ_LINES) {
        *err = -EINVAL;
        return NULL;
    }
    if ((*err = grant_check(ANVIL_GRANT_IRQ, start, end)) < 0)
        return NULL;
    return line_claim((unsigned)start, err);
}

static int irq_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                    struct file **out)
{
    struct irq_handle *h;
    int err;

    (void)s, (void)mode;
    if (!(h = kzalloc(sizeof(*h))))
        return -ENOMEM;
    if (!(h->line = path_claim(path, &err)))
        goto out;
    h->seen = h->line->fired;
    if (!(*out = file_new(&irq_file_ops, flags & (O_ACCMODE | O_NONBLOCK), h))) {
        err = -ENOMEM;
        line_release(h->line);
        goto out;
    }
    return 0;
out:
    kfree(h);
    return err;
}

void kscheme_irq_list(struct textbuf *tb)
{
    for (unsigned i = 0; i < IRQ_LINES; i++)
        if (lines[i].opens)
            textbuf_printf(tb, "isa %u %llu\n", i, (unsigned long long)lines[i].fired);
    for (unsigned i = 0; i < X86_VECTOR_MSI_COUNT; i++)
        if (msis[i].opens)
            textbuf_printf(tb, "msi 0x%x %llu\n", msis[i].num, (unsigned long long)msis[i].fired);
}

static const struct scheme_ops irq_ops = {.open = irq_open};
static struct scheme irq_scheme = {.name = "irq", .ops = &irq_ops};

void kscheme_irq_init(void)
{
    scheme_register(&irq_scheme);
}
