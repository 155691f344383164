/* kernel/proc/proc.c: allocating and finding processes and threads. */
#include "arch/x86_64/paging.h"
#include "arch/x86_64/tss.h"
#include "boot/boot_info.h"
#include "fs/file.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "proc/cmdline.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "sched/clock.h"
#include "sched/sched.h"

/* Every process, zombies included (single CPU, no lock). */
static struct proc *all_procs;
static int next_id = 1;

struct thread *thread_current(void)
{
    return sched_current();
}

struct proc *proc_current(void)
{
    return sched_current()->proc;
}

int proc_next_id(void)
{
    return next_id++;
}

int proc_ids_used(void)
{
    return next_id - 1;
}

struct proc *proc_alloc(struct proc *parent)
{
    struct proc *p = kzalloc(sizeof(*p));

    if (!p)
        return NULL;
    p->state = PROC_ALIVE;
    p->parent = parent;
    p->umask = parent ? parent->umask : 022;
    p->nice = parent ? parent->nice : 0;
    strlcpy(p->cwd, parent ? parent->cwd : "/", sizeof(p->cwd));
    if (parent) {
        memcpy(p->name, parent->name, sizeof(p->name));
        p->caps = parent->caps;
        p->pgid = parent->pgid;
        p->sid = parent->sid;
        p->ctty = parent->ctty;
    } else {
        caps_init_first(&p->caps, boot_cmdline());
    }
    rlimit_init(p, parent);
    p->start_ns = clock_monotonic_ns();
    if (parent)
        proc_cmdline_inherit(p, parent);
    p->all_next = all_procs;
    all_procs = p;
    return p;
}

void proc_free(struct proc *p)
{
    for (struct proc **pp = &all_procs; *pp; pp = &(*pp)->all_next) {
        if (*pp == p) {
            *pp = p->all_next;
            break;
        }
    }
    if (p->iomap) {
        x86_tss_iomap_forget(p->iomap);
        kfree(p->iomap);
    }
    proc_cmdline_free(p);
    kfree(p);
}

struct thread *thread_alloc(struct proc *p)
{
    struct thread *t = kzalloc(sizeof(*t));

    if (!t)
        return NULL;
    t->kstack_phys = pmm_alloc_pages(KSTACK_PAGES);
    if (!t->kstack_phys) {
        kfree(t);
        return NULL;
    }
    t->kstack_top = (uintptr_t)x86_phys_to_virt(t->kstack_phys) + KSTACK_PAGES * PMM_PAGE_SIZE;
    t->frame = (struct x86_regs *)(t->kstack_top - sizeof(struct x86_regs));
    memset(t->frame, 0, sizeof(*t->frame));
    t->proc = p;
    p->threads++;
    sched_prepare_stack(t);
    return t;
}

void thread_free(struct thread *t)
{
    pmm_free_pages(t->kstack_phys, KSTACK_PAGES);
    kfree(t);
}

struct proc *proc_find(int pid)
{
    for (struct proc *p = all_procs; p; p = p->all_next)
        if (p->pid == pid)
            return p;
    return NULL;
}

struct proc *proc_first(void)
{
    return all_procs;
}

struct proc *proc_init(void)
{
    return proc_find(1);
}
