/* kernel/scheme/procinfo.c: facts about a process for /proc and sys:proc. */
#include "mm/vm_resident.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "scheme/procinfo.h"

char procinfo_state(const struct proc *p)
{
    if (p->state == PROC_ZOMBIE)
        return 'Z';
    if (p->stopped)
        return 'T';
    for (struct thread *t = sched_threads(); t; t = t->all_next)
        if (t->proc == p && (t->state == THREAD_RUNNING || t->state == THREAD_RUNNABLE))
            return 'R';
    return 'S';
}

size_t procinfo_vm_bytes(const struct proc *p)
{
    size_t bytes = 0;

    if (p->vm)
        for (const struct vm_area *a = p->vm->areas; a; a = a->next)
            bytes += a->end - a->start;
    return bytes;
}

size_t procinfo_rss_pages(const struct proc *p)
{
    return vm_resident_pages(p->vm);
}

int procinfo_ppid(const struct proc *p)
{
    return p->parent ? p->parent->pid : 0;
}

uint64_t procinfo_ticks(uint64_t ns)
{
    return ns / (NSEC_PER_SEC / PROCINFO_HZ);
}
