/* kernel/lib/random.h: the kernel's random numbers (getrandom, rand:,
 * AT_RANDOM): a ChaCha20 generator keyed from boot entropy, with fast key
 * erasure (every request ends by replacing the key), so output already
 * given cannot be recomputed from the state. */
#ifndef ANVIL_LIB_RANDOM_H
#define ANVIL_LIB_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fold a 64-bit sample (a hardware random value, a timestamp) into the key. */
void random_mix(uint64_t v);
/* Key the generator from what the caller gathered at boot: false when the
 * ChaCha20 test vector fails (the generator then refuses nothing, but the
 * boot log says so). */
bool random_start(void);
/* Whether random_start has run (getrandom without GRND_NONBLOCK waits for it). */
bool random_ready(void);
void random_fill(void *buf, size_t n);

#endif
