/* kernel/lib/random.h: a non-cryptographic random generator (xorshift128+)
 * for AT_RANDOM and getrandom, seeded from the TSC. Good enough for stack
 * canaries and hash seeds in a test OS; not for keys. */
#ifndef ANVIL_LIB_RANDOM_H
#define ANVIL_LIB_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Mix entropy (a timestamp, say) into the state. */
void random_mix(uint64_t v);
void random_fill(void *buf, size_t n);

#endif
