/* kernel/proc/fork.c: clone. A new thread starts with a copy of its
 * creator's user registers (rax = 0) and FPU state. */
#include "arch/x86_64/cpu.h"
#include "fs/fdtable.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/fork.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define SUPPORTED (CLONE_SIGNAL_MASK | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
                   CLONE_VFORK | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |             \
                   CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED |           \
                   CLONE_CHILD_SETTID | CLONE_UNTRACED)

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
    }
    fd_copy(p, parent);
    memcpy(p->actions, parent->actions, sizeof(p->actions));
    p->vfork_done = !(flags & CLONE_VFORK);
    return p;
}

static void undo_process(struct proc *p)
{
    fd_close_all(p);
    vm_space_put(p->vm);
    proc_free(p);
}

long proc_clone(uint64_t flags, uintptr_t newsp, uintptr_t ptid, uintptr_t ctid, uintptr_t tls,
                const struct x86_regs *r)
{
    struct thread *self = sched_current(), *t;
    struct proc *p = self->proc;
    long err = check_flags(flags), tid;

    if (!err)
        err = check_tls(flags, tls);
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
    /* Not interruptible (the child runs on our stack), but killable. */
    if (flags & CLONE_VFORK)
        while (!p->vfork_done && !self->killed)
            sched_sleep(&p->vfork_done, 0, false);
    return tid;
}
