/* kernel/proc/fork.c: clone. A new thread starts with a copy of its
 * creator's user registers (rax = 0) and FPU state. */
#include "arch/x86_64/cpu.h"
#include "fs/fdtable.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/fork.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "sysv/sysv.h"

#define SUPPORTED (CLONE_SIGNAL_MASK | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
                   CLONE_VFORK | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |             \
                   CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED |           \
                   CLONE_CHILD_SETTID | CLONE_UNTRACED)

/* System-wide caps, whatever the rlimits say: every process costs a
 * kernel stack, tables and a struct proc (about 64 KiB in all), every
 * thread a stack and a struct thread (about 32 KiB), so a fork bomb ends
 * with EAGAIN while memory is left: each kind may have a quarter of RAM.
 * PID 1 keeps a few slots of its own. */
#define PROC_COST_BYTES (64ul << 10)
#define THREAD_COST_BYTES (32ul << 10)
#define CAP_RAM_SHARE 4
#define CAP_MIN 64
#define INIT_SLOTS 16

static int cap_for(size_t cost)
{
    size_t n = pmm_total_count() * PMM_PAGE_SIZE / CAP_RAM_SHARE / cost;

    return n < CAP_MIN ? CAP_MIN : n > INT32_MAX ? INT32_MAX : (int)n;
}

static long check_system_caps(const struct proc *p, uint64_t flags)
{
    int procs = 0, threads = 0, spare = p->pid == 1 ? 0 : INIT_SLOTS;
    int procs_max = cap_for(PROC_COST_BYTES), threads_max = cap_for(THREAD_COST_BYTES);

    for (struct proc *q = proc_first(); q; q = q->all_next)
        procs++;
    for (struct thread *t = sched_threads(); t; t = t->all_next)
        threads += t->state != THREAD_DEAD;
    if (threads >= threads_max - spare)
        return -EAGAIN;
    if (!(flags & CLONE_THREAD) && procs >= procs_max - spare)
        return -EAGAIN;
    return 0;
}

static void copy_thread_state(struct thread *t, const struct thread *from, const struct x86_regs *r,
                              uint64_t flags, uintptr_t newsp, uintptr_t tls)
{
    *t->frame = *r;
    t->frame->rax = 0;
    if (newsp)
        t->frame->rsp = newsp;
    x86_fxsave((void *)from->fpu);
    memcpy(t->fpu, from->fpu, sizeof(t->fpu));
    t->fs_base = flags & CLONE_SETTLS ? tls : from->fs_base;
    t->sigmask = from->sigmask;
}

static long check_flags(uint64_t flags)
{
    if (flags & ~SUPPORTED)
        return -EINVAL;
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -EINVAL;
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -EINVAL;
    return 0;
}

/* A TLS base the CPU accepts (a non-canonical FS base would fault in the
 * kernel when the thread is switched in). */
static long check_tls(uint64_t flags, uintptr_t tls)
{
    return (flags & CLONE_SETTLS) && tls >= VM_USER_END ? -EPERM : 0;
}

static long new_thread(struct proc *p, struct thread *self, uint64_t flags, uintptr_t newsp,
                       uintptr_t tls, const struct x86_regs *r, struct thread **out)
{
    struct thread *t = thread_alloc(p);

    if (!t)
        return -ENOMEM;
    t->tid = proc_next_id();
    copy_thread_state(t, self, r, flags, newsp, tls);
    *out = t;
    return t->tid;
}

static struct proc *new_process(struct proc *parent, uint64_t flags)
{
    struct proc *p = proc_alloc(parent);

    if (!p)
        return NULL;
    if (flags & CLONE_VM) {
        p->vm = parent->vm;
        vm_space_get(p->vm);
    } else if (!(p->vm = vm_space_fork(parent->vm))) {
        proc_free(p);
        return NULL;
    } else if (sysv_shm_fork(parent->vm, p->vm) < 0) {   /* shmat areas stay attached */
        sysv_shm_space_gone(p->vm);
        vm_space_put(p->vm);
        proc_free(p);
        return NULL;
    }
    fd_copy(p, parent);
    memcpy(p->actions, parent->actions, sizeof(p->actions));
    p->vfork_done = !(flags & CLONE_VFORK);
    return p;
}

static void undo_process(struct proc *p)
{
    fd_close_all(p);
    if (p->vm->refs == 1)
        sysv_shm_space_gone(p->vm);
    vm_space_put(p->vm);
    proc_free(p);
}

/* The vfork parent waits until the child execs or exits. Not interruptible
 * (the child runs on our stack), but killable. Another thread of ours may
 * reap the child while we sleep, so no pointer to it is kept across a
 * sleep: each round finds it again by pid (pids are never reused while it
 * lives), and a child that is gone has finished. */
static void vfork_wait(int pid)
{
    struct thread *self = sched_current();
    struct proc *c;

    while (!self->killed && (c = proc_find(pid)) && !c->vfork_done)
        sched_sleep(&c->vfork_done, 0, false);
}

long proc_clone(uint64_t flags, uintptr_t newsp, uintptr_t ptid, uintptr_t ctid, uintptr_t tls,
                const struct x86_regs *r)
{
    struct thread *self = sched_current(), *t;
    struct proc *p = self->proc;
    long err = check_flags(flags), tid;

    if (!err)
        err = check_tls(flags, tls);
    if (!err && !(flags & CLONE_THREAD))
        err = rlimit_check_nproc(p);
    if (!err)
        err = check_system_caps(p, flags);
    if (err)
        return err;
    if (!(flags & CLONE_THREAD) && !(p = new_process(self->proc, flags)))
        return -ENOMEM;
    tid = new_thread(p, self, flags, newsp, tls, r, &t);
    if (tid < 0) {
        if (p != self->proc)
            undo_process(p);
        return tid;
    }
    if (p != self->proc)
        p->pid = (int)tid;
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_child_tid = ctid;
    if (flags & CLONE_PARENT_SETTID)
        copy_to_user(ptid, &tid, sizeof(int));
    sched_register(t);
    sched_add(t);
    if (flags & CLONE_CHILD_SETTID)
        copy_to_user(ctid, &tid, sizeof(int));   /* shared VM: same space as ours */
    if (flags & CLONE_VFORK)
        vfork_wait((int)tid);
    return tid;
}
