/* kernel/arch/x86_64/pit.h: the 8254's channel 2 as a one-shot stopwatch,
 * the reference of last resort (Skylake and later may clock-gate it). */
#ifndef ANVIL_ARCH_X86_64_PIT_H
#define ANVIL_ARCH_X86_64_PIT_H

#include <stdint.h>

/* Busy-wait ms milliseconds (at most 54) on channel 2; the nanoseconds
 * waited, or 0 if its output never rose before tsc_deadline. */
uint64_t x86_pit_wait_ns(unsigned ms, uint64_t tsc_deadline);

#endif
