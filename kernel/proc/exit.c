/* kernel/proc/exit.c: thread and process exit. The last thread out closes
 * the handles, drops the address space, hands children to PID 1 and wakes
 * the parent; the zombie waits for wait4. */
#include "fs/fdtable.h"
#include "fs/lock.h"
#include "lib/kprintf.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/exit.h"
#include "proc/futex.h"
#include "proc/jobctl.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "sysv/sysv.h"

/* Written at boot, read-only after. */
static proc_init_exit_fn init_exit_hook;

void proc_set_init_exit_hook(proc_init_exit_fn fn)
{
    init_exit_hook = fn;
}

static void reparent_children(struct proc *p)
{
    struct proc *init = proc_init();

    for (struct proc *c = proc_first(); c; c = c->all_next) {
        if (c->parent != p)
            continue;
        c->parent = init != p ? init : NULL;
        if (c->state == PROC_ZOMBIE && c->parent)
            sched_wakeup(c->parent);
    }
}

static void finish_process(struct proc *p)
{
    int st = p->exit_status;
    bool killed = (st & 0x7f) != 0;

    fd_close_all(p);
    lock_proc_exit(p);
    sysv_sem_exit(p);
    if (p->vm) {
        if (p->vm->refs == 1)
            sysv_shm_space_gone(p->vm);
        vm_space_put(p->vm);
        p->vm = NULL;
    }
    p->state = PROC_ZOMBIE;
    p->stopped = false;
    jobctl_exit(p);
    reparent_children(p);
    if (!p->vfork_done) {
        p->vfork_done = true;
        sched_wakeup(&p->vfork_done);
    }
    file_poll_notify();
    if (p->pid == 1 && init_exit_hook)
        init_exit_hook(p->exit_status);
    if (p->parent) {
        jobctl_notify_parent(p, killed ? CLD_KILLED : CLD_EXITED,
                             killed ? st & 0x7f : (st >> 8) & 0xff);
    } else {
        proc_free(p);   /* nobody will wait for it */
    }
}

noreturn void proc_exit_thread(void)
{
    struct thread *t = sched_current();
    struct proc *p = t->proc;
    uint32_t zero = 0;

    futex_exit_robust(t);   /* even when the process dies: a robust mutex may be shared */
    /* Only if others may look at the word: a dying process's memory goes. */
    if (t->clear_child_tid && !p->exiting && p->threads > 1 &&
        copy_to_user(t->clear_child_tid, &zero, sizeof(zero)) == 0)
        futex_wake(t->clear_child_tid, 1);
    if (--p->threads == 0)
        finish_process(p);
    sched_exit_current();
}

noreturn void proc_exit_group(int wait_status)
{
    struct thread *self = sched_current();
    struct proc *p = self->proc;

    if (!p->exiting) {
        p->exiting = true;
        p->exit_status = wait_status;
    }
    for (struct thread *t = sched_threads(); t; t = t->all_next) {
        if (t->proc != p || t == self || t->state == THREAD_DEAD)
            continue;
        t->killed = true;
        sched_interrupt(t);
    }
    proc_exit_thread();
}
