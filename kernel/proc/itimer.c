/* kernel/proc/itimer.c: ITIMER_REAL. Resolution is the timer tick. */
#include "proc/itimer.h"
#include "proc/rlimit.h"
#include "proc/signal.h"
#include "sched/clock.h"
#include "sched/sched.h"

static void expire(void)
{
    uint64_t now = clock_monotonic_ns();

    for (struct proc *p = proc_first(); p; p = p->all_next) {
        if (!p->alarm_at || p->alarm_at > now || p->state != PROC_ALIVE)
            continue;
        p->alarm_at = p->alarm_interval ? now + p->alarm_interval : 0;
        signal_send_proc(p, SIGALRM, NULL);
    }
    if (sched_current()->proc)
        rlimit_cpu_tick(sched_current()->proc);   /* the process this tick charges */
}

void itimer_init(void)
{
    sched_add_tick_hook(expire);
}

void itimer_set(struct proc *p, uint64_t value_ns, uint64_t interval_ns, uint64_t *old_value,
                uint64_t *old_interval)
{
    uint64_t now = clock_monotonic_ns();

    *old_value = p->alarm_at > now ? p->alarm_at - now : (p->alarm_at ? 1 : 0);
    *old_interval = p->alarm_interval;
    p->alarm_at = value_ns ? now + value_ns : 0;
    p->alarm_interval = value_ns ? interval_ns : 0;
}
