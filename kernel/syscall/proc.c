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
#include "proc/proc.h"
#include "proc/wait.h"
#include "sched/clock.h"
#include "sched/sched.h"
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
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define CLD_EXITED 1
#define CLD_KILLED 2
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

/* Programs run from the boot image: a plain /path or initfs:path. */
static int exec_path(const char *raw, char *out)
{
    struct scheme_path sp;
    int err = scheme_route(proc_current()->cwd, raw, &sp);

    if (err)
        return err;
    if (!sp.plain && strcmp(sp.scheme, "initfs") != 0)
        return -EACCES;
    out[0] = '/';
    strlcpy(out + 1, sp.rest, PATH_MAX_LEN - 1);
    return 0;
}

long sys_execve(SYSCALL_ARGS)
{
    char raw[PATH_MAX_LEN], path[PATH_MAX_LEN];
    struct exec_args args;
    long n = strncpy_from_user(raw, a0, sizeof(raw));
    int err;

    if (n < 0)
        return n;
    if ((err = exec_path(raw, path)) < 0)
        return err;
    if ((err = exec_args_from_user(&args, a1, a2)) < 0)
        return err;
    err = proc_exec(proc_current(), sched_current(), path, &args);
    exec_args_free(&args);
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

long sys_wait4(SYSCALL_ARGS)
{
    int status = 0;
    long pid;

    if (a2 & ~(uint64_t)(WNOHANG | WUNTRACED | 0x40000000u | 0x80000000u))
        return -EINVAL;
    pid = proc_wait((int)a0, (int)a2, &status);
    if (pid > 0 && a1 && copy_to_user(a1, &status, sizeof(status)) < 0)
        return -EFAULT;
    if (pid > 0 && a3 && clear_user(a3, RUSAGE_SIZE) < 0)
        return -EFAULT;
    return pid;
}

/* siginfo for waitid: signo, errno, code, then pid, uid, status. */
long sys_waitid(SYSCALL_ARGS)
{
    int32_t info[32] = {0};
    int status = 0, idtype = (int)a0, options = (int)a3;
    long pid;

    if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
        return -EINVAL;
    if (!(options & WEXITED))
        return -EINVAL;
    pid = proc_wait(idtype == P_PID ? (int)a1 : -1, options & (WNOHANG | WNOWAIT), &status);
    if (pid < 0)
        return pid;
    if (pid > 0) {
        bool killed = (status & 0x7f) != 0;
        info[0] = SIGCHLD_NR;
        info[2] = killed ? CLD_KILLED : CLD_EXITED;
        info[4] = (int32_t)pid;
        info[6] = killed ? (status & 0x7f) : (status >> 8) & 0xff;
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
    default:
        return -ENOSYS;
    }
}

long sys_set_robust_list(SYSCALL_ARGS)
{
    return 0;   /* accepted; robust futexes are not walked at exit yet */
}

long sys_sched_yield(SYSCALL_ARGS)
{
    sched_yield();
    return 0;
}

/* One session and one process group per process: the pid. */
long sys_getpgid(SYSCALL_ARGS)
{
    return a0 ? (long)a0 : proc_current()->pid;
}

long sys_getpgrp(SYSCALL_ARGS)
{
    return proc_current()->pid;
}

long sys_setpgid(SYSCALL_ARGS)
{
    return 0;
}

long sys_getsid(SYSCALL_ARGS)
{
    return 1;
}

long sys_setsid(SYSCALL_ARGS)
{
    return proc_current()->pid;
}
