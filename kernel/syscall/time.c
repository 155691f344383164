/* kernel/syscall/time.c: clocks and sleeping. */
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "proc/itimer.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "syscall/syscall.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1

/* Now on clock clk in ns, or -EINVAL. */
static int64_t clock_now(int clk)
{
    switch (clk) {
    case CLOCK_PROCESS_CPUTIME_ID:
        return (int64_t)sched_proc_cpu_ns(proc_current());
    case CLOCK_THREAD_CPUTIME_ID:
        return (int64_t)sched_thread_cpu_ns(sched_current());
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        return clock_realtime_ns();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        return (int64_t)clock_monotonic_ns();
    default:
        return -EINVAL;
    }
}

static int put_timespec(uintptr_t uts, int64_t ns)
{
    int64_t ts[2] = {ns / NSEC_PER_SEC, ns % NSEC_PER_SEC};

    return copy_to_user(uts, ts, sizeof(ts));
}

int syscall_get_timespec(uintptr_t uts, int64_t *ns)
{
    int64_t ts[2];

    if (copy_from_user(ts, uts, sizeof(ts)) < 0)
        return -EFAULT;
    if (ts[0] < 0 || ts[1] < 0 || ts[1] >= NSEC_PER_SEC)
        return -EINVAL;
    /* past about 70 years the sum could overflow: call it forever */
    *ns = ts[0] > INT64_MAX / NSEC_PER_SEC / 4 ? SYSCALL_NS_FOREVER
                                                : ts[0] * NSEC_PER_SEC + ts[1];
    return 0;
}

long sys_clock_gettime(SYSCALL_ARGS)
{
    int64_t now = clock_now((int)a0);

    if (now < 0)
        return now;
    return put_timespec(a1, now);
}

long sys_clock_getres(SYSCALL_ARGS)
{
    if (clock_now((int)a0) < 0)
        return -EINVAL;
    return a1 ? put_timespec(a1, 1) : 0;
}

long sys_gettimeofday(SYSCALL_ARGS)
{
    int64_t now = clock_realtime_ns();
    int64_t tv[2] = {now / NSEC_PER_SEC, (now % NSEC_PER_SEC) / 1000};

    if (a0 && copy_to_user(a0, tv, sizeof(tv)) < 0)
        return -EFAULT;
    if (a1 && clear_user(a1, 8) < 0)
        return -EFAULT;
    return 0;
}

long sys_time(SYSCALL_ARGS)
{
    int64_t secs = clock_realtime_ns() / NSEC_PER_SEC;

    if (a0 && copy_to_user(a0, &secs, sizeof(secs)) < 0)
        return -EFAULT;
    return secs;
}

/* Sleep until monotonic deadline; on a signal, write what is left to urem. */
static long sleep_until(uint64_t deadline, uintptr_t urem)
{
    static const char sleep_chan;
    int err;

    do {
        err = sched_sleep(&sleep_chan, deadline, true);
    } while (err == 0);
    if (err == -ETIMEDOUT)
        return 0;
    if (urem) {
        uint64_t now = clock_monotonic_ns();
        if (put_timespec(urem, deadline > now ? (int64_t)(deadline - now) : 0) < 0)
            return -EFAULT;
    }
    return -EINTR;
}

long sys_nanosleep(SYSCALL_ARGS)
{
    int64_t ns;
    int err = syscall_get_timespec(a0, &ns);

    if (err)
        return err;
    return sleep_until(clock_monotonic_ns() + (uint64_t)ns + 1, a1);
}

long sys_clock_nanosleep(SYSCALL_ARGS)
{
    int clk = (int)a0;
    int64_t ns, now = clock_now(clk);
    int err;

    if (now < 0 || clk == CLOCK_THREAD_CPUTIME_ID)
        return -EINVAL;
    if ((err = syscall_get_timespec(a2, &ns)) < 0)
        return err;
    if (a1 & TIMER_ABSTIME) {
        if (ns <= now)
            return 0;
        return sleep_until(clock_monotonic_ns() + (uint64_t)(ns - now), 0);
    }
    return sleep_until(clock_monotonic_ns() + (uint64_t)ns + 1, a3);
}

#define ITIMER_REAL 0
#define USEC_PER_SEC 1000000ll
#define NSEC_PER_USEC 1000ll

/* struct itimerval: interval then value, each a timeval. */
static int get_timeval_ns(const int64_t tv[2], uint64_t *ns)
{
    if (tv[0] < 0 || tv[1] < 0 || tv[1] >= USEC_PER_SEC || tv[0] > INT64_MAX / NSEC_PER_SEC / 4)
        return -EINVAL;
    *ns = (uint64_t)(tv[0] * NSEC_PER_SEC + tv[1] * NSEC_PER_USEC);
    return 0;
}

static void put_timeval_ns(int64_t tv[2], uint64_t ns)
{
    tv[0] = (int64_t)(ns / NSEC_PER_SEC);
    tv[1] = (int64_t)(ns % NSEC_PER_SEC) / NSEC_PER_USEC;
    if (ns && !tv[0] && !tv[1])
        tv[1] = 1;   /* a running timer never reads as zero */
}

long sys_setitimer(SYSCALL_ARGS)
{
    int64_t in[4] = {0}, out[4];
    uint64_t value = 0, interval = 0, old_value, old_interval;
    int err;

    if ((int)a0 != ITIMER_REAL)
        return -EINVAL;
    if (a1 && copy_from_user(in, a1, sizeof(in)) < 0)
        return -EFAULT;
    if ((err = get_timeval_ns(in, &interval)) < 0 || (err = get_timeval_ns(in + 2, &value)) < 0)
        return err;
    itimer_set(proc_current(), value, interval, &old_value, &old_interval);
    put_timeval_ns(out, old_interval);
    put_timeval_ns(out + 2, old_value);
    return a2 ? copy_to_user(a2, out, sizeof(out)) : 0;
}

long sys_getitimer(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    uint64_t now = clock_monotonic_ns();
    int64_t out[4];

    if ((int)a0 != ITIMER_REAL)
        return -EINVAL;
    put_timeval_ns(out, p->alarm_interval);
    put_timeval_ns(out + 2, p->alarm_at > now ? p->alarm_at - now : 0);
    return copy_to_user(a1, out, sizeof(out));
}

long sys_alarm(SYSCALL_ARGS)
{
    uint64_t old_value, old_interval;

    itimer_set(proc_current(), (a0 & 0xffffffffu) * (uint64_t)NSEC_PER_SEC, 0, &old_value,
               &old_interval);
    return (long)((old_value + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
}

long sys_pause(SYSCALL_ARGS)
{
    static const char pause_chan;

    while (sched_sleep(&pause_chan, 0, true) != -EINTR)
        ;
    return -EINTR;
}

#define CLOCK_TICKS_PER_SEC 100   /* sysconf(_SC_CLK_TCK), AT_CLKTCK */

/* struct tms: user, system, children's user, children's system (ticks). */
long sys_times(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    int64_t tms[4] = {
        (int64_t)(sched_proc_cpu_ns(p) / (NSEC_PER_SEC / CLOCK_TICKS_PER_SEC)), 0,
        (int64_t)(p->children_cpu_ns / (NSEC_PER_SEC / CLOCK_TICKS_PER_SEC)), 0,
    };

    if (a0 && copy_to_user(a0, tms, sizeof(tms)) < 0)
        return -EFAULT;
    return (long)(clock_monotonic_ns() / (NSEC_PER_SEC / CLOCK_TICKS_PER_SEC));
}
