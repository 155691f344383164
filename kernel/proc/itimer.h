/* kernel/proc/itimer.h: the per-process real-time interval timer (alarm,
 * setitimer ITIMER_REAL): SIGALRM when it expires, checked every tick. */
#ifndef ANVIL_PROC_ITIMER_H
#define ANVIL_PROC_ITIMER_H

#include <stdint.h>

#include "proc/proc.h"

/* Register the tick hook. */
void itimer_init(void);
/* Arm p's timer (value 0: disarm); the old value and interval come back. */
void itimer_set(struct proc *p, uint64_t value_ns, uint64_t interval_ns, uint64_t *old_value,
                uint64_t *old_interval);

#endif
