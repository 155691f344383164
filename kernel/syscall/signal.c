/* kernel/syscall/signal.c: signal syscalls. */
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "proc/jobctl.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "syscall/syscall.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048
#define SIGSET_SIZE 8
#define UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))

/* struct sigaction as the kernel sees it (x86_64). */
struct k_sigaction {
    uint64_t handler, flags, restorer, mask;
};

static struct ksiginfo sender(void)
{
    return (struct ksiginfo){.code = 0, .pid = proc_current()->pid};
}

/* Send sig to p if self may (caps_may_signal): 0 or -EPERM. A zombie
 * exists (0) but takes nothing; PID 1 drops what it has no handler for. */
static long send_checked(struct proc *self, struct proc *p, int sig, const struct ksiginfo *si)
{
    int may = caps_may_signal(self, p, sig);

    if (may < 0)
        return may;
    if (may == 0 && sig && p->state == PROC_ALIVE)
        signal_send_proc(p, sig, si);
    return 0;
}

static long kill_one(struct proc *self, int pid, int sig, const struct ksiginfo *si)
{
    struct proc *p = proc_find(pid);

    return p ? send_checked(self, p, sig, si) : -ESRCH;
}

/* Every process of group pgid (pgid 0: every process but PID 1 and the
 * caller): 0 if one took it, -EPERM if none may, -ESRCH if there is none. */
static long kill_many(struct proc *self, int pgid, int sig, const struct ksiginfo *si)
{
    bool found = false, sent = false;

    for (struct proc *p = proc_first(); p; p = p->all_next) {
        if (pgid ? p->pgid != pgid : (p->pid <= 1 || p == self))
            continue;
        found = true;
        if (send_checked(self, p, sig, si) == 0)
            sent = true;
    }
    return sent ? 0 : found ? -EPERM : -ESRCH;
}

long sys_kill(SYSCALL_ARGS)
{
    int pid = (int)a0, sig = (int)a1;
    struct ksiginfo si = sender();
    struct proc *self = proc_current();

    if (sig < 0 || sig > SIG_COUNT)
        return -EINVAL;
    if (pid > 0)
        return kill_one(self, pid, sig, &si);
    if (pid == 0)
        return kill_many(self, self->pgid, sig, &si);
    if (pid == -1)
        return kill_many(self, 0, sig, &si);
    if (pid == INT32_MIN)
        return -ESRCH;
    return kill_many(self, -pid, sig, &si);
}

static long thread_kill(int tgid, int tid, int sig)
{
    struct ksiginfo si = sender();

    if (sig < 0 || sig > SIG_COUNT || tid <= 0)
        return -EINVAL;
    for (struct thread *t = sched_threads(); t; t = t->all_next) {
        if (t->tid != tid || t->state == THREAD_DEAD || (tgid > 0 && t->proc->pid != tgid))
            continue;
        int may = caps_may_signal(proc_current(), t->proc, sig);
        if (may != 0)
            return may < 0 ? may : 0;
        return sig ? signal_send_thread(t, sig, &si) : 0;
    }
    return -ESRCH;
}

long sys_tkill(SYSCALL_ARGS)
{
    return thread_kill(0, (int)a0, (int)a1);
}

long sys_tgkill(SYSCALL_ARGS)
{
    return thread_kill((int)a0, (int)a1, (int)a2);
}

long sys_rt_sigaction(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    int sig = (int)a0;
    struct k_sigaction act, old;

    if (sig < 1 || sig > SIG_COUNT || a3 != SIGSET_SIZE)
        return -EINVAL;
    if (a1 && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    if (a1 && copy_from_user(&act, a1, sizeof(act)) < 0)
        return -EFAULT;
    old = (struct k_sigaction){p->actions[sig].handler, p->actions[sig].flags,
                               p->actions[sig].restorer, p->actions[sig].mask};
    if (a2 && copy_to_user(a2, &old, sizeof(old)) < 0)
        return -EFAULT;
    if (!a1)
        return 0;
    p->actions[sig] = (struct ksigaction){act.handler, act.flags, act.restorer,
                                          act.mask & ~UNBLOCKABLE};
    if (act.handler == SIG_IGN_HANDLER ||
        (act.handler == SIG_DFL_HANDLER && signal_default_ignored(sig))) {
        p->sigpending &= ~SIG_BIT(sig);
        for (struct thread *t = sched_threads(); t; t = t->all_next)
            if (t->proc == p)
                t->sigpending &= ~SIG_BIT(sig);
    }
    return 0;
}

long sys_rt_sigprocmask(SYSCALL_ARGS)
{
    struct thread *t = sched_current();
    uint64_t set, old = t->sigmask;

    if (a3 != SIGSET_SIZE)
        return -EINVAL;
    if (a1) {
        if (copy_from_user(&set, a1, sizeof(set)) < 0)
            return -EFAULT;
        switch ((int)a0) {
        case SIG_BLOCK: t->sigmask |= set; break;
        case SIG_UNBLOCK: t->sigmask &= ~set; break;
        case SIG_SETMASK: t->sigmask = set; break;
        default: return -EINVAL;
        }
        t->sigmask &= ~UNBLOCKABLE;
        signal_recalc(t);
    }
    if (a2 && copy_to_user(a2, &old, sizeof(old)) < 0)
        return -EFAULT;
    return 0;
}

long sys_rt_sigreturn(SYSCALL_ARGS)
{
    return signal_sigreturn(syscall_frame());
}

/* stack_t: ss_sp, ss_flags (int, padded), ss_size. */
long sys_sigaltstack(SYSCALL_ARGS)
{
    struct thread *t = sched_current();
    bool on = signal_on_altstack(t, syscall_frame()->rsp);
    uint64_t old[3] = {t->altstack_sp, on ? SS_ONSTACK : (t->altstack_size ? 0 : SS_DISABLE),
                       t->altstack_size};
    uint64_t ss[3];

    if (a0) {
        if (copy_from_user(ss, a0, sizeof(ss)) < 0)
            return -EFAULT;
        if (on)
            return -EPERM;
        if ((uint32_t)ss[1] & ~(uint32_t)SS_DISABLE)
            return -EINVAL;
        if (!((uint32_t)ss[1] & SS_DISABLE) && ss[2] < MINSIGSTKSZ)
            return -ENOMEM;
    }
    if (a1 && copy_to_user(a1, old, sizeof(old)) < 0)
        return -EFAULT;
    if (a0) {
        bool off = (uint32_t)ss[1] & SS_DISABLE;
        t->altstack_sp = off ? 0 : ss[0];
        t->altstack_size = off ? 0 : ss[2];
    }
    return 0;
}

long sys_rt_sigpending(SYSCALL_ARGS)
{
    struct thread *t = sched_current();
    uint64_t set = (t->sigpending | t->proc->sigpending) & t->sigmask;

    if (a1 != SIGSET_SIZE)
        return -EINVAL;
    return copy_to_user(a0, &set, sizeof(set));
}

long sys_rt_sigsuspend(SYSCALL_ARGS)
{
    struct thread *t = sched_current();
    uint64_t mask;

    if (a1 != SIGSET_SIZE)
        return -EINVAL;
    if (copy_from_user(&mask, a0, sizeof(mask)) < 0)
        return -EFAULT;
    t->saved_sigmask = t->sigmask;
    t->restore_sigmask = true;
    t->sigmask = mask & ~UNBLOCKABLE;
    signal_recalc(t);
    while (sched_sleep(&t->saved_sigmask, 0, true) != -EINTR)
        ;
    return -EINTR;
}
