/* kernel/syscall/proc.c: process and thread syscalls. */
#include "arch/x86_64/cpu.h"
#include "scheme/route.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/exec.h"
#include "proc/exit.h"
#include "proc/fork.h"
#include "proc/futex.h"
#include "proc/jobctl.h"
#include "proc/proc.h"
#include "proc/wait.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "scheme/ioport.h"
#include "syscall/syscall.h"

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define SIGCHLD_NR 17
#define RUSAGE_SIZE 144

long sys_getpid(SYSCALL_ARGS)
{
    return proc_current()->pid;
}

long sys_getppid(SYSCALL_ARGS)
{
    struct proc *parent = proc_current()->parent;

    return parent ? parent->pid : 0;
}

long sys_gettid(SYSCALL_ARGS)
{
    return sched_current()->tid;
}

long sys_clone(SYSCALL_ARGS)
{
    /* x86_64 order: flags, newsp, parent_tid, child_tid, tls. */
    return proc_clone(a0, a1, a2, a3, a4, syscall_frame());
}

long sys_fork(SYSCALL_ARGS)
{
    return proc_clone(SIGCHLD_NR, 0, 0, 0, 0, syscall_frame());
}

long sys_vfork(SYSCALL_ARGS)
{
    return proc_clone(CLONE_VM | CLONE_VFORK | SIGCHLD_NR, 0, 0, 0, 0, syscall_frame());
}

long sys_execve(SYSCALL_ARGS)
{
    char path[PATH_MAX_LEN];
    struct exec_args args;
    long n = strncpy_from_user(path, a0, sizeof(path));
    int err;

    if (n < 0)
        return n;
    if (n == 0)
        return -ENOENT;
    if ((err = exec_args_from_user(&args, a1, a2)) < 0)
        return err;
    err = proc_exec(proc_current(), sched_current(), path, &args);
    exec_args_free(&args);
    if (!err)
        ioport_drop_all(proc_current());   /* the new program opens the ports it needs */
    return err;
}

long sys_exit(SYSCALL_ARGS)
{
    struct proc *p = proc_current();

    if (p->threads == 1 && !p->exiting) {
        p->exiting = true;
        p->exit_status = WAIT_EXITED((int)a0);
    }
    proc_exit_thread();
}

long sys_exit_group(SYSCALL_ARGS)
{
    proc_exit_group(WAIT_EXITED((int)a0));
}

#define WAIT4_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)
#define WAITID_OPTIONS (WAIT4_OPTIONS | WEXITED | WNOWAIT)

/* wait4: pid > 0 one child, 0 our group, -1 any, < -1 group -pid. */
long sys_wait4(SYSCALL_ARGS)
{
    int pid = (int)a0, options = (int)a2;
    struct wait_info info;
    long ret;

    if ((uint64_t)(uint32_t)options & ~(uint64_t)WAIT4_OPTIONS)
        return -EINVAL;
    if (pid == INT32_MIN)
        return -ESRCH;
    options |= WEXITED;
    if (pid > 0)
        ret = proc_wait(WAIT_PID, pid, options, &info);
    else if (pid == -1)
        ret = proc_wait(WAIT_ANY, 0, options, &info);
    else
        ret = proc_wait(WAIT_PGID, pid ? -pid : proc_current()->pgid, options, &info);
    if (ret > 0 && a1 && copy_to_user(a1, &info.status, sizeof(info.status)) < 0)
        return -EFAULT;
    if (ret > 0 && a3 && clear_user(a3, RUSAGE_SIZE) < 0)
        return -EFAULT;
    return ret;
}

/* siginfo for waitid: signo, errno, code, then pid, uid, status; all zero
 * when WNOHANG finds nothing. */
long sys_waitid(SYSCALL_ARGS)
{
    int32_t info[32] = {0};
    int idtype = (int)a0, id = (int)a1, options = (int)a3;
    enum wait_which which = WAIT_ANY;
    struct wait_info wi;
    long ret;

    if ((uint64_t)(uint32_t)options & ~(uint64_t)WAITID_OPTIONS)
        return -EINVAL;
    if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
        return -EINVAL;
    if (idtype == P_PID) {
        if (id <= 0)
            return -EINVAL;
        which = WAIT_PID;
    } else if (idtype == P_PGID) {
        if (id < 0)
            return -EINVAL;
        which = WAIT_PGID;
        if (id == 0)
            id = proc_current()->pgid;
    } else if (idtype != P_ALL) {
        return -EINVAL;
    }
    ret = proc_wait(which, id, options, &wi);
    if (ret < 0)
        return ret;
    if (ret > 0) {
        info[0] = SIGCHLD_NR;
        info[2] = wi.code;
        info[4] = wi.pid;
        info[6] = wi.si_status;
    }
    if (a2 && copy_to_user(a2, info, sizeof(info)) < 0)
        return -EFAULT;
    return 0;
}

long sys_set_tid_address(SYSCALL_ARGS)
{
    sched_current()->clear_child_tid = a0;
    return sched_current()->tid;
}

long sys_arch_prctl(SYSCALL_ARGS)
{
    struct thread *t = sched_current();

    switch ((int)a0) {
    case ARCH_SET_FS:
        if (a1 >= VM_USER_END)
            return -EPERM;
        t->fs_base = a1;
        x86_wrmsr(X86_MSR_FS_BASE, a1);
        return 0;
    case ARCH_GET_FS:
        return copy_to_user(a1, &t->fs_base, sizeof(t->fs_base));
    case ARCH_SET_GS:
    case ARCH_GET_GS:
        return -EINVAL;
    default:
        return -EINVAL;
    }
}

/* A relative (or, for the bitset ops, absolute) timeout as a deadline. */
static int futex_deadline(uintptr_t uts, bool absolute, bool realtime, uint64_t *out)
{
    int64_t ns;
    int err;

    *out = 0;
    if (!uts)
        return 0;
    err = syscall_get_timespec(uts, &ns);
    if (err < 0 || ns == SYSCALL_NS_FOREVER)
        return err;     /* too far away: wait without a deadline */
    if (!absolute)
        ns += (int64_t)clock_monotonic_ns();
    else if (realtime)
        ns -= clock_realtime_ns() - (int64_t)clock_monotonic_ns();
    *out = ns <= 0 ? 1 : (uint64_t)ns;
    return 0;
}

long sys_futex(SYSCALL_ARGS)
{
    int op = (int)a1 & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    bool realtime = a1 & FUTEX_CLOCK_REALTIME;
    uint64_t deadline;
    int err;

    switch (op) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        if ((err = futex_deadline(a3, op == FUTEX_WAIT_BITSET, realtime, &deadline)) < 0)
            return err;
        return futex_wait(a0, (uint32_t)a2, deadline);
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
        return futex_wake(a0, (int)a2);
    case FUTEX_REQUEUE:
        return futex_requeue(a0, (int)a2, (int)a3, a4, false, 0);
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(a0, (int)a2, (int)a3, a4, true, (uint32_t)a5);
    case FUTEX_LOCK_PI:     /* an absolute CLOCK_REALTIME timeout */
    case FUTEX_LOCK_PI2:    /* absolute, CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME */
        if ((err = futex_deadline(a3, true, op == FUTEX_LOCK_PI || realtime, &deadline)) < 0)
            return err;
        return futex_lock_pi(a0, deadline);
    case FUTEX_UNLOCK_PI:
        return futex_unlock_pi(a0);
    case FUTEX_TRYLOCK_PI:
        return futex_trylock_pi(a0);
    default:
        return -ENOSYS;
    }
}

long sys_set_robust_list(SYSCALL_ARGS)
{
    return futex_set_robust_list(a0, a1);
}

long sys_get_robust_list(SYSCALL_ARGS)
{
    return futex_get_robust_list((int)a0, a1, a2);
}

long sys_sched_yield(SYSCALL_ARGS)
{
    sched_yield();
    return 0;
}

long sys_getpgid(SYSCALL_ARGS)
{
    return jobctl_getpgid((int)a0);
}

long sys_getpgrp(SYSCALL_ARGS)
{
    return proc_current()->pgid;
}

long sys_setpgid(SYSCALL_ARGS)
{
    return jobctl_setpgid((int)a0, (int)a1);
}

long sys_getsid(SYSCALL_ARGS)
{
    return jobctl_getsid((int)a0);
}

long sys_setsid(SYSCALL_ARGS)
{
    return jobctl_setsid();
}
