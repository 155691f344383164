/* kernel/scheme/ioport.c: the ioport: scheme. Opening "ioport:0xA-0xB" (with
 * an ioport grant covering it) lets the calling process use in/out on those
 * ports from user mode, through its I/O permission bitmap, which the
 * scheduler loads into the TSS whenever the process runs. Other ports still
 * fault (#GP, SIGSEGV). The ports stay open until the process exits, execs
 * or narrows its grants past them (closing the fd does not take them back;
 * fork does not pass them on). */
#include <anvil/syscall.h>

#include "arch/x86_64/tss.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "proc/proc.h"
#include "scheme/grantcheck.h"
#include "scheme/ioport.h"
#include "scheme/kschemes.h"

#define PORT_MAX 0xffff

static int ioport_stat(struct file *f, struct kstat *st)
{
    (void)f;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0600;
    st->st_nlink = 1;
    return 0;
}

static const struct file_ops ioport_file_ops = {.stat = ioport_stat};

/* Clear the denied bits of [start, end] in p's bitmap (made on first use): 0 or -ENOMEM. */
static int ports_allow(struct proc *p, unsigned start, unsigned end)
{
    if (!p->iomap) {
        if (!(p->iomap = kmalloc(X86_IOMAP_BYTES)))
            return -ENOMEM;
        memset(p->iomap, 0xff, X86_IOMAP_BYTES);
    }
    for (unsigned port = start; port <= end; port++)
        p->iomap[port / 8] &= (uint8_t)~(1u << (port % 8));
    x86_tss_iomap_forget(p->iomap);   /* its contents changed: load it again */
    x86_tss_set_iomap(p->iomap);
    return 0;
}

static int ioport_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                       struct file **out)
{
    uint64_t start, end;
    struct file *f;
    int err;

    (void)s, (void)mode;
    if ((err = grant_parse_range(path, &start, &end)) < 0)
        return err;
    if (end > PORT_MAX)
        return -EINVAL;
    if ((err = grant_check(ANVIL_GRANT_IOPORT, start, end)) < 0)
        return err;
    if (!(f = file_new(&ioport_file_ops, flags & O_ACCMODE, NULL)))
        return -ENOMEM;
    if ((err = ports_allow(proc_current(), (unsigned)start, (unsigned)end)) < 0) {
        file_put(f);
        return err;
    }
    *out = f;
    return 0;
}

void ioport_regrant(struct proc *p)
{
    if (!p->iomap)
        return;
    for (unsigned port = 0; port <= PORT_MAX; port++) {
        uint8_t bit = (uint8_t)(1u << (port % 8));
        if (!(p->iomap[port / 8] & bit) && !caps_granted(&p->caps, ANVIL_GRANT_IOPORT, port, port))
            p->iomap[port / 8] |= bit;
    }
    x86_tss_iomap_forget(p->iomap);   /* reloaded when p runs next (now, if current) */
    if (p == proc_current())
        x86_tss_set_iomap(p->iomap);
}

void ioport_drop_all(struct proc *p)
{
    if (!p->iomap)
        return;
    x86_tss_iomap_forget(p->iomap);
    kfree(p->iomap);
    p->iomap = NULL;
    if (p == proc_current())
        x86_tss_set_iomap(NULL);
}

static const struct scheme_ops ioport_ops = {.open = ioport_open};
static struct scheme ioport_scheme = {.name = "ioport", .ops = &ioport_ops};

void kscheme_ioport_init(void)
{
    scheme_register(&ioport_scheme);
}
