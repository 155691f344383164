/* kernel/arch/x86_64/rng.h: the CPU's own random number instructions
 * (RDSEED, RDRAND), when CPUID says it has them. */
#ifndef ANVIL_ARCH_X86_64_RNG_H
#define ANVIL_ARCH_X86_64_RNG_H

#include <stdbool.h>
#include <stdint.h>

/* One 64-bit value from RDSEED (a true-entropy source), else RDRAND (a
 * DRBG the hardware reseeds); false when the CPU has neither or keeps
 * saying "not ready". */
bool x86_rng_u64(uint64_t *out);

#endif
