/* kernel/sched/clock.h: time since boot (monotonic, from the TSC at the rate
 * arch/x86_64/calibrate.c found) and wall-clock time (the CMOS RTC at boot plus that). */
#ifndef ANVIL_SCHED_CLOCK_H
#define ANVIL_SCHED_CLOCK_H

#include <stdint.h>

#define NSEC_PER_SEC 1000000000ll

void clock_init(void);
/* Nanoseconds since clock_init. */
uint64_t clock_monotonic_ns(void);
/* Nanoseconds since the epoch. */
int64_t clock_realtime_ns(void);
/* Nanoseconds per timer tick. */
uint64_t clock_tick_ns(void);

#endif
