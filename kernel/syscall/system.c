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
#include "sched/loadavg.h"
#include "syscall/syscall.h"

#define UTS_LEN 65
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

/* getrlimit, setrlimit and prlimit64: syscall/rlimit.c. */

/* getrandom flags (include/uapi/linux/random.h). The generator is keyed
 * before PID 1 runs, so no flag ever has to wait. */
#define GRND_NONBLOCK 0x1u
#define GRND_RANDOM 0x2u
#define GRND_INSECURE 0x4u

long sys_getrandom(SYSCALL_ARGS)
{
    uint8_t buf[RANDOM_CHUNK];
    size_t len = a1 > GETRANDOM_MAX ? GETRANDOM_MAX : a1, done = 0;

    if ((a2 & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) ||
        ((a2 & GRND_RANDOM) && (a2 & GRND_INSECURE)))
        return -EINVAL;
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

/* struct sysinfo of Linux x86_64 (include/uapi/linux/sysinfo.h). */
#define SI_LOAD_SHIFT 16
struct sysinfo_k {
    int64_t uptime;              /* seconds, rounded up as Linux does */
    uint64_t loads[3];           /* 1, 5, 15 minutes, 1.0 = 1 << SI_LOAD_SHIFT */
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs;              /* threads, as Linux's nr_threads */
    uint16_t pad;
    uint32_t pad2;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;           /* the unit of the *ram and *swap fields, in bytes */
    uint32_t pad3;
};
_Static_assert(sizeof(struct sysinfo_k) == 112, "ABI: struct sysinfo is 112 bytes on x86_64");

long sys_sysinfo(SYSCALL_ARGS)
{
    struct sysinfo_k si;
    uint64_t now = clock_monotonic_ns(), avg[3];
    unsigned running, total;

    memset(&si, 0, sizeof(si));
    loadavg_get(avg);
    loadavg_count(&running, &total);
    si.uptime = (int64_t)((now + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
    for (int i = 0; i < 3; i++)
        si.loads[i] = avg[i] << (SI_LOAD_SHIFT - LOADAVG_SHIFT);
    si.totalram = pmm_total_count() * PMM_PAGE_SIZE;
    si.freeram = pmm_free_count() * PMM_PAGE_SIZE;
    si.procs = total > UINT16_MAX ? UINT16_MAX : (uint16_t)total;
    si.mem_unit = 1;
    return copy_to_user(a0, &si, sizeof(si));
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
