/* kernel/lib/random.c: a ChaCha20 generator. The key is 32 bytes; each
 * request takes key-stream blocks under a fresh nonce, then one more block
 * becomes the next key (fast key erasure). Mixing a sample in re-keys with
 * the block function over (old key, sample): the new key depends on every
 * sample so far, and knowing samples alone gives nothing without the key. */
#include "lib/chacha20.h"
#include "lib/random.h"
#include "lib/string.h"

/* Single CPU, interrupts off: no lock. */
static uint8_t key[CHACHA20_KEY_BYTES];
static uint64_t requests;     /* the nonce of the next request: never reused for a key */
static bool started;

static void make_nonce(uint8_t nonce[CHACHA20_NONCE_BYTES], uint32_t domain, uint64_t n)
{
    memcpy(nonce, &domain, sizeof(domain));
    memcpy(nonce + sizeof(domain), &n, sizeof(n));
}

/* Domain 1: mixing; 2: output. Separate nonces keep the two uses apart. */
#define DOMAIN_MIX 1u
#define DOMAIN_OUT 2u

void random_mix(uint64_t v)
{
    uint8_t nonce[CHACHA20_NONCE_BYTES], block[CHACHA20_BLOCK_BYTES];

    make_nonce(nonce, DOMAIN_MIX, v);
    chacha20_block(key, 0, nonce, block);
    for (int i = 0; i < CHACHA20_KEY_BYTES; i++)
        key[i] ^= block[i];
    memset(block, 0, sizeof(block));
}

bool random_start(void)
{
    started = true;
    return chacha20_selftest();
}

bool random_ready(void)
{
    return started;
}

void random_fill(void *buf, size_t n)
{
    uint8_t nonce[CHACHA20_NONCE_BYTES], block[CHACHA20_BLOCK_BYTES];
    uint8_t *p = buf;
    uint32_t counter = 1;   /* block 0 is the next key */

    make_nonce(nonce, DOMAIN_OUT, requests++);
    while (n > 0) {
        size_t c = n < sizeof(block) ? n : sizeof(block);
        chacha20_block(key, counter++, nonce, block);
        memcpy(p, block, c);
        p += c;
        n -= c;
        if (counter == 0) {   /* 256 GiB in one request: move to a new nonce */
            make_nonce(nonce, DOMAIN_OUT, requests++);
            counter = 1;
        }
    }
    chacha20_block(key, 0, nonce, block);
    memcpy(key, block, sizeof(key));
    memset(block, 0, sizeof(block));
}
