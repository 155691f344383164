/* kernel/sched/loadavg.c: the load average. Every LOAD_PERIOD the tick
 * folds the number of running and runnable threads into three averages:
 * avg = avg * e + n * (1 - e), e = exp(-5 s / 1, 5, 15 min) in fixed point
 * (the constants of Linux's kernel/sched/loadavg.c). */
#include "proc/proc.h"
#include "sched/clock.h"
#include "sched/loadavg.h"
#include "sched/sched.h"

#define LOAD_PERIOD (5 * NSEC_PER_SEC)
#define EXP_1 1884    /* LOADAVG_ONE / exp(5 s / 1 min) */
#define EXP_5 2014    /* LOADAVG_ONE / exp(5 s / 5 min) */
#define EXP_15 2037   /* LOADAVG_ONE / exp(5 s / 15 min) */

/* Written by the tick, read by /proc and sysinfo (single CPU, interrupts off). */
static uint64_t averages[3];
static uint64_t next_sample;

void loadavg_count(unsigned *running, unsigned *total)
{
    *running = *total = 0;
    for (struct thread *t = sched_threads(); t; t = t->all_next) {
        if (!t->proc || t->state == THREAD_DEAD)
            continue;
        (*total)++;
        if (t->state == THREAD_RUNNING || t->state == THREAD_RUNNABLE)
            (*running)++;
    }
}

static uint64_t fold(uint64_t avg, uint64_t e, uint64_t active)
{
    uint64_t next = avg * e + active * (LOADAVG_ONE - e);

    if (active >= avg)
        next += LOADAVG_ONE - 1;   /* round up while rising, as Linux does */
    return next / LOADAVG_ONE;
}

static void sample(void)
{
    static const uint64_t exps[3] = {EXP_1, EXP_5, EXP_15};
    uint64_t now = clock_monotonic_ns();
    unsigned running, total;

    if (now < next_sample)
        return;
    next_sample = now + LOAD_PERIOD;
    loadavg_count(&running, &total);
    for (int i = 0; i < 3; i++)
        averages[i] = fold(averages[i], exps[i], (uint64_t)running * LOADAVG_ONE);
}

void loadavg_init(void)
{
    next_sample = clock_monotonic_ns() + LOAD_PERIOD;
    sched_add_tick_hook(sample);
}

void loadavg_get(uint64_t avg[3])
{
    for (int i = 0; i < 3; i++)
        avg[i] = averages[i];
}
