/* kernel/syscall/system.c: identity, limits and system facts. Everything
 * runs as root (uid 0) until users exist. */
#include "lib/errno.h"
#include "lib/random.h"
#include "lib/string.h"
#include "arch/x86_64/cpu.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sched/clock.h"
#include "syscall/syscall.h"

#define UTS_LEN 65
#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIMIT_NLIMITS 16
#define RLIM_INFINITY UINT64_MAX
#define STACK_LIMIT (8ul << 20)
#define GETRANDOM_MAX 33554431ul
#define RANDOM_CHUNK 256
#define RUSAGE_SIZE 144

struct utsname_k {
    char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN];
    char version[UTS_LEN], machine[UTS_LEN], domainname[UTS_LEN];
};

long sys_uname(SYSCALL_ARGS)
{
    struct utsname_k u;

    memset(&u, 0, sizeof(u));
    strlcpy(u.sysname, "Anvil", UTS_LEN);
    strlcpy(u.nodename, "anvil", UTS_LEN);
    strlcpy(u.release, ANVIL_VERSION, UTS_LEN);
    strlcpy(u.version, "Anvil " ANVIL_VERSION, UTS_LEN);
    strlcpy(u.machine, "x86_64", UTS_LEN);
    strlcpy(u.domainname, "(none)", UTS_LEN);
    return copy_to_user(a0, &u, sizeof(u));
}

long sys_getuid(SYSCALL_ARGS) { return 0; }
long sys_geteuid(SYSCALL_ARGS) { return 0; }
long sys_getgid(SYSCALL_ARGS) { return 0; }
long sys_getegid(SYSCALL_ARGS) { return 0; }
long sys_setuid(SYSCALL_ARGS) { return a0 == 0 ? 0 : -EPERM; }
long sys_setgid(SYSCALL_ARGS) { return a0 == 0 ? 0 : -EPERM; }
long sys_getgroups(SYSCALL_ARGS) { return 0; }

long sys_umask(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    unsigned old = p->umask;

    p->umask = (unsigned)a0 & 0777;
    return old;
}

static void limit_of(int res, uint64_t lim[2])
{
    lim[0] = lim[1] = RLIM_INFINITY;
    if (res == RLIMIT_STACK)
        lim[0] = lim[1] = STACK_LIMIT;
    if (res == RLIMIT_NOFILE)
        lim[0] = lim[1] = PROC_FD_MAX;
}

long sys_prlimit64(SYSCALL_ARGS)
{
    uint64_t lim[2];
    int res = (int)a1;

    if (res < 0 || res >= RLIMIT_NLIMITS)
        return -EINVAL;
    if (a0 && (int)a0 != proc_current()->pid)
        return -ESRCH;
    limit_of(res, lim);
    if (a3 && copy_to_user(a3, lim, sizeof(lim)) < 0)
        return -EFAULT;
    return 0;   /* new limits are accepted and not enforced */
}

long sys_getrlimit(SYSCALL_ARGS)
{
    return sys_prlimit64(0, a0, 0, a1, 0, 0);
}

long sys_setrlimit(SYSCALL_ARGS)
{
    return (int)a0 < 0 || (int)a0 >= RLIMIT_NLIMITS ? -EINVAL : 0;
}

long sys_getrandom(SYSCALL_ARGS)
{
    uint8_t buf[RANDOM_CHUNK];
    size_t len = a1 > GETRANDOM_MAX ? GETRANDOM_MAX : a1, done = 0;

    random_mix(x86_rdtsc());
    while (done < len) {
        size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
        random_fill(buf, n);
        if (copy_to_user(a0 + done, buf, n) < 0)
            return done ? (long)done : -EFAULT;
        done += n;
    }
    return (long)done;
}

long sys_sysinfo(SYSCALL_ARGS)
{
    uint64_t info[14] = {0};
    unsigned procs = 0;

    for (struct proc *p = proc_first(); p; p = p->all_next)
        procs++;
    info[0] = clock_monotonic_ns() / NSEC_PER_SEC;
    info[4] = pmm_total_count() * PMM_PAGE_SIZE;
    info[5] = pmm_free_count() * PMM_PAGE_SIZE;
    info[10] = procs;   /* procs (u16) in the low bits */
    info[13] = 1;       /* mem_unit (u32) */
    return copy_to_user(a0, info, sizeof(info));
}

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

/* struct rusage: ru_utime and ru_stime (timevals), then 14 counters. All
 * time is reported as user time. */
long sys_getrusage(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    int64_t ru[RUSAGE_SIZE / 8] = {0};
    uint64_t ns;

    switch ((int)a0) {
    case RUSAGE_SELF: ns = sched_proc_cpu_ns(p); break;
    case RUSAGE_CHILDREN: ns = p->children_cpu_ns; break;
    case RUSAGE_THREAD: ns = sched_thread_cpu_ns(sched_current()); break;
    default: return -EINVAL;
    }
    ru[0] = (int64_t)(ns / NSEC_PER_SEC);
    ru[1] = (int64_t)(ns % NSEC_PER_SEC / 1000);
    return copy_to_user(a1, ru, sizeof(ru));
}

long sys_sched_getaffinity(SYSCALL_ARGS)
{
    uint64_t mask = 1;

    if (a1 < sizeof(mask))
        return -EINVAL;
    return copy_to_user(a2, &mask, sizeof(mask)) < 0 ? -EFAULT : (long)sizeof(mask);
}

long sys_sched_getparam(SYSCALL_ARGS)
{
    return clear_user(a1, 4);
}

long sys_sched_getscheduler(SYSCALL_ARGS)
{
    return 0;   /* SCHED_OTHER */
}

#define PRIO_PROCESS 0
#define NICE_MIN (-20)
#define NICE_MAX 19
#define NICE_RAW_BASE 20   /* the raw getpriority returns 20 - nice (never negative) */

static struct proc *prio_target(int which, int who)
{
    if (which != PRIO_PROCESS)
        return NULL;
    return who == 0 ? proc_current() : proc_find(who);
}

long sys_getpriority(SYSCALL_ARGS)
{
    struct proc *p = prio_target((int)a0, (int)a1);

    if ((int)a0 != PRIO_PROCESS)
        return -EINVAL;
    if (!p || p->state != PROC_ALIVE)
        return -ESRCH;
    return NICE_RAW_BASE - p->nice;
}

long sys_setpriority(SYSCALL_ARGS)
{
    struct proc *p = prio_target((int)a0, (int)a1);
    int nice = (int)a2;

    if ((int)a0 != PRIO_PROCESS)
        return -EINVAL;
    if (!p || p->state != PROC_ALIVE)
        return -ESRCH;
    p->nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
    return 0;
}
