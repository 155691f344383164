/* kernel/sched/clock.c: the clocks. ns = tsc_delta * mult >> 32, with mult
 * computed once from the calibrated TSC rate. */
#include "arch/x86_64/calibrate.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/rtc.h"
#include "sched/clock.h"

#define MULT_SHIFT 32

/* Written at boot, read-only after. */
static uint64_t tsc_start;
static uint64_t tsc_mult;
static int64_t boot_epoch_ns;

void clock_init(void)
{
    uint64_t hz = x86_tsc_hz();

    tsc_start = x86_rdtsc();
    tsc_mult = ((uint64_t)NSEC_PER_SEC << MULT_SHIFT) / (hz ? hz : 1);
    boot_epoch_ns = x86_rtc_read_epoch() * NSEC_PER_SEC;
}

uint64_t clock_monotonic_ns(void)
{
    unsigned __int128 d = x86_rdtsc() - tsc_start;

    return (uint64_t)((d * tsc_mult) >> MULT_SHIFT);
}

int64_t clock_realtime_ns(void)
{
    return boot_epoch_ns + (int64_t)clock_monotonic_ns();
}

uint64_t clock_tick_ns(void)
{
    return (uint64_t)NSEC_PER_SEC / ANVIL_TIMER_HZ;
}
