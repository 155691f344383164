/* kernel/proc/oom.c: out of memory. User pages and page tables leave a
 * reserve of frames (1/16 of RAM, 1..32 MiB) to the kernel and PID 1, so
 * the kernel and init go on when programs have taken the rest. When a
 * user fault finds no frame, the process with the most resident pages is
 * killed: never PID 1, and a service (a daemon that serves a scheme) only
 * when nothing else is left. While a victim is still dying, faults wait
 * for its memory instead of choosing another. */
#include "ipc/fcache.h"
#include "lib/kprintf.h"
#include "mm/pmm.h"
#include "mm/vm_resident.h"
#include "proc/exit.h"
#include "proc/oom.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "scheme/scheme.h"

#define RESERVE_DIVISOR 16
#define RESERVE_MIN_FRAMES 256      /* 1 MiB */
#define RESERVE_MAX_FRAMES 8192     /* 32 MiB */
#define OOM_WAIT_NS 10000000ull     /* a dying victim frees its memory within ticks */

/* Sleeps of faults waiting for a victim to die (only their deadlines wake them). */
static const char oom_chan;

static bool init_may_use_reserve(void)
{
    struct thread *t = sched_current();

    return t && t->proc && t->proc->pid == 1;
}

void oom_init(void)
{
    size_t frames = pmm_total_count() / RESERVE_DIVISOR;

    if (frames < RESERVE_MIN_FRAMES)
        frames = RESERVE_MIN_FRAMES;
    if (frames > RESERVE_MAX_FRAMES)
        frames = RESERVE_MAX_FRAMES;
    pmm_set_reserve(frames, init_may_use_reserve);
}

/* A daemon: it owns a registered user scheme. The scheme registry is
 * asked directly (a sideways call) so services need no mark of their own. */
static bool is_service(const struct proc *p)
{
    for (struct scheme *s = scheme_first(); s; s = s->next)
        if (s->user && s->owner_pid == p->pid)
            return true;
    return false;
}

/* Still alive but killed, with memory to give back. */
static bool dying(const struct proc *p)
{
    return p->state == PROC_ALIVE && p->exiting && p->vm;
}

/* The largest candidate: services only if want_service. */
static struct proc *largest(bool want_service, size_t *pages)
{
    struct proc *best = NULL;

    *pages = 0;
    for (struct proc *p = proc_first(); p; p = p->all_next) {
        size_t n;
        if (p->pid == 1 || p->state != PROC_ALIVE || p->exiting || !p->vm ||
            is_service(p) != want_service)
            continue;
        n = vm_resident_pages(p->vm);
        if (!best || n > *pages) {
            best = p;
            *pages = n;
        }
    }
    return best;
}

static bool any_dying(void)
{
    for (struct proc *p = proc_first(); p; p = p->all_next)
        if (dying(p))
            return true;
    return false;
}

void oom_fault(uintptr_t addr)
{
    struct proc *self = proc_current(), *victim;
    size_t pages;

    if (fcache_reclaim())
        return;   /* the file cache gave frames back: try the fault again */
    if (!any_dying()) {
        victim = largest(false, &pages);
        if (!victim)
            victim = largest(true, &pages);
        if (victim) {
            kprintf("oom: no memory for pid %d (%s) at 0x%lx: killing pid %d (%s), %zu pages "
                    "resident\n", self->pid, self->name, addr, victim->pid, victim->name, pages);
            signal_send_proc(victim, SIGKILL, NULL);
        } else if (self->pid != 1) {
            victim = self;   /* nothing else to take from: the faulting process goes */
            kprintf("oom: no memory for pid %d (%s) at 0x%lx: killed by signal %d\n", self->pid,
                    self->name, addr, SIGKILL);
        }
        if (victim == self)
            proc_exit_group(WAIT_SIGNALED(SIGKILL));
    }
    sched_sleep(&oom_chan, clock_monotonic_ns() + OOM_WAIT_NS, false);
}
