/* kernel/lib/random.c: xorshift128+ (Vigna, 2014). */
#include "lib/random.h"
#include "lib/string.h"

/* Single CPU, interrupts off: no lock. */
static uint64_t state[2] = {0x9e3779b97f4a7c15ull, 0xbf58476d1ce4e5b9ull};

static uint64_t next(void)
{
    uint64_t s1 = state[0];
    const uint64_t s0 = state[1];

    state[0] = s0;
    s1 ^= s1 << 23;
    state[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return state[1] + s0;
}

void random_mix(uint64_t v)
{
    state[0] ^= v * 0x94d049bb133111ebull;
    state[1] ^= (v << 32 | v >> 32);
    next();
}

void random_fill(void *buf, size_t n)
{
    uint8_t *p = buf;

    while (n > 0) {
        uint64_t r = next();
        size_t c = n < 8 ? n : 8;
        memcpy(p, &r, c);
        p += c;
        n -= c;
    }
}
