/* kernel/sched/loadavg.h: the load average (Linux's: exponentially damped
 * means over 1, 5 and 15 minutes of the number of threads that run or wait
 * to run, sampled every 5 seconds) and the counts it is made from. */
#ifndef ANVIL_SCHED_LOADAVG_H
#define ANVIL_SCHED_LOADAVG_H

#include <stdint.h>

#define LOADAVG_SHIFT 11                     /* fixed point: 1.0 is 1 << 11, as Linux's FSHIFT */
#define LOADAVG_ONE (1ul << LOADAVG_SHIFT)

/* Start sampling on the timer tick (sched_init calls it). */
void loadavg_init(void);
/* The three averages (1, 5, 15 minutes) in LOADAVG_SHIFT fixed point. */
void loadavg_get(uint64_t avg[3]);
/* Threads running or runnable now, and all live threads. */
void loadavg_count(unsigned *running, unsigned *total);

#endif
