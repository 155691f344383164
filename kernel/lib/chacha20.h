/* kernel/lib/chacha20.h: the ChaCha20 block function (RFC 8439 §2.3), the
 * core of the kernel's random generator. */
#ifndef ANVIL_LIB_CHACHA20_H
#define ANVIL_LIB_CHACHA20_H

#include <stdbool.h>
#include <stdint.h>

#define CHACHA20_KEY_BYTES 32
#define CHACHA20_NONCE_BYTES 12
#define CHACHA20_BLOCK_BYTES 64

/* One 64-byte block of key stream for (key, counter, nonce). */
void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t out[CHACHA20_BLOCK_BYTES]);

/* The block function against the test vector of RFC 8439 §2.3.2. */
bool chacha20_selftest(void);

#endif
