/* kernel/sched/entropy.h: seeding the random generator at boot. */
#ifndef ANVIL_SCHED_ENTROPY_H
#define ANVIL_SCHED_ENTROPY_H

/* Gather entropy (RDSEED/RDRAND, the TSC, the wall clock, timing jitter),
 * key lib/random.c with it and check ChaCha20 against its test vector.
 * After clock_init. */
void entropy_init(void);

#endif
