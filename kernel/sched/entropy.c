/* kernel/sched/entropy.c: the boot seed of the random generator. The CPU's
 * RDSEED/RDRAND give most of it where they exist; the TSC, the RTC and the
 * jitter of timed memory walks add what an emulator or an old CPU can give
 * (the low bits of each measured delta vary from boot to boot). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/rng.h"
#include "lib/kprintf.h"
#include "lib/random.h"
#include "sched/clock.h"
#include "sched/entropy.h"

#define HW_SAMPLES 8           /* 8 x 64 bits from the CPU: the whole key's worth */
#define JITTER_SAMPLES 256
#define JITTER_BYTES 4096

/* Touched with a stride the caches dislike; the result only feeds timing. */
static volatile uint8_t jitter_buf[JITTER_BYTES];

static uint64_t jitter_sample(unsigned round)
{
    uint64_t t0 = x86_rdtsc();

    for (unsigned i = 0; i < JITTER_BYTES; i += 67)
        jitter_buf[(i * (round + 1)) % JITTER_BYTES] += (uint8_t)i;
    return x86_rdtsc() - t0;
}

void entropy_init(void)
{
    int hw = 0;
    uint64_t v;

    for (int i = 0; i < HW_SAMPLES; i++) {
        if (x86_rng_u64(&v)) {
            random_mix(v);
            hw++;
        }
    }
    random_mix(x86_rdtsc());
    random_mix((uint64_t)clock_realtime_ns());
    for (unsigned r = 0; r < JITTER_SAMPLES; r++)
        random_mix(jitter_sample(r) ^ (uint64_t)r << 56);
    random_mix(x86_rdtsc());
    if (!random_start())
        kprintf("random: ChaCha20 fails its RFC 8439 test vector\n");
    kprintf("random: ChaCha20 keyed from %d hardware samples, the TSC and timing jitter\n", hw);
}
