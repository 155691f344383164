/* kernel/proc/rlimit.c: resource limits. Everyone is root today, so a hard
 * limit may be raised, but never past what the kernel itself can give
 * (RLIMIT_NOFILE: the fd table's size; beyond it EPERM, as Linux's nr_open). */
#include "fs/file.h"
#include "lib/errno.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "proc/signal.h"
#include "sched/clock.h"
#include "sched/sched.h"

#define STACK_DEFAULT (8ul << 20)
#define STACK_MIN (128ul << 10)
#define STACK_MAX (1ul << 30)   /* an "unlimited" stack still gets a bounded area */
#define SIGXCPU 24
#define SIGXFSZ 25

void rlimit_init(struct proc *p, const struct proc *parent)
{
    if (parent) {
        for (int r = 0; r < RLIMIT_NLIMITS; r++)
            p->rlim[r] = parent->rlim[r];
        return;
    }
    for (int r = 0; r < RLIMIT_NLIMITS; r++)
        p->rlim[r] = (struct rlimit_k){RLIM_INFINITY, RLIM_INFINITY};
    p->rlim[RLIMIT_STACK].cur = STACK_DEFAULT;
    p->rlim[RLIMIT_CORE].cur = 0;
    p->rlim[RLIMIT_NOFILE] = (struct rlimit_k){PROC_FD_MAX, PROC_FD_MAX};
}

uint64_t rlimit_cur(const struct proc *p, int res)
{
    return res >= 0 && res < RLIMIT_NLIMITS ? p->rlim[res].cur : RLIM_INFINITY;
}

int rlimit_change(struct proc *p, int res, const struct rlimit_k *new, struct rlimit_k *old)
{
    if (res < 0 || res >= RLIMIT_NLIMITS)
        return -EINVAL;
    if (new && new->cur > new->max)
        return -EINVAL;
    if (new && res == RLIMIT_NOFILE && new->max > PROC_FD_MAX)
        return -EPERM;
    if (old)
        *old = p->rlim[res];
    if (new)
        p->rlim[res] = *new;
    return 0;
}

int rlimit_nofile(const struct proc *p)
{
    uint64_t n = p->rlim[RLIMIT_NOFILE].cur;

    return n < PROC_FD_MAX ? (int)n : PROC_FD_MAX;
}

size_t rlimit_stack_size(const struct proc *p)
{
    uint64_t n = p->rlim[RLIMIT_STACK].cur;

    if (n == RLIM_INFINITY)
        return STACK_DEFAULT;
    n = (n + VM_PAGE_SIZE - 1) & ~(uint64_t)(VM_PAGE_SIZE - 1);
    return n < STACK_MIN ? STACK_MIN : n > STACK_MAX ? STACK_MAX : (size_t)n;
}

int rlimit_check_as(const struct proc *p, size_t more)
{
    uint64_t lim = p->rlim[RLIMIT_AS].cur, total = 0;

    if (lim == RLIM_INFINITY || !p->vm)
        return 0;
    for (const struct vm_area *a = p->vm->areas; a; a = a->next)
        total += a->end - a->start;
    return more > lim || total > lim - more ? -ENOMEM : 0;
}

int rlimit_check_nproc(const struct proc *p)
{
    uint64_t lim = p->rlim[RLIMIT_NPROC].cur, n = 0;

    if (lim == RLIM_INFINITY)
        return 0;
    for (struct proc *q = proc_first(); q; q = q->all_next)
        n++;
    return n >= lim ? -EAGAIN : 0;
}

void rlimit_cpu_tick(struct proc *p)
{
    struct rlimit_k *r = &p->rlim[RLIMIT_CPU];
    uint64_t secs;

    if (r->cur == RLIM_INFINITY || p->state != PROC_ALIVE)
        return;
    secs = sched_proc_cpu_ns(p) / NSEC_PER_SEC;
    if (r->max != RLIM_INFINITY && secs >= r->max) {
        signal_send_proc(p, SIGKILL, NULL);
    } else if (secs >= r->cur) {
        signal_send_proc(p, SIGXCPU, NULL);
        if (r->cur < r->max)
            r->cur++;
    }
}

int rlimit_check_fsize(struct file *f, uint64_t off, size_t *len)
{
    uint64_t lim = rlimit_cur(proc_current(), RLIMIT_FSIZE);

    if (lim == RLIM_INFINITY || !f->ops->seekable || *len == 0)
        return 0;
    if (off >= lim) {
        signal_send_thread(thread_current(), SIGXFSZ, NULL);
        return -EFBIG;
    }
    if (*len > lim - off)
        *len = (size_t)(lim - off);
    return 0;
}
