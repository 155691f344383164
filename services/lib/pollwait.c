/* services/lib/pollwait.c: polling with a deadline, yielding between looks so
 * the device model (and everyone else) gets the CPU. */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "mmio.h"
#include "pollwait.h"

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int poll_until(bool (*done)(void *arg), void *arg, int timeout_ms)
{
    long deadline = now_ms() + timeout_ms;

    while (!done(arg)) {
        if (now_ms() > deadline)
            return done(arg) ? 0 : -ETIMEDOUT;   /* we may have been away long */
        sched_yield();
    }
    return 0;
}

struct reg_want {
    volatile void *base;
    size_t off;
    uint32_t mask, want;
};

static bool reg_matches(void *arg)
{
    struct reg_want *w = arg;

    return (mmio_read32(w->base, w->off) & w->mask) == w->want;
}

int poll_reg32(volatile void *base, size_t off, uint32_t mask, uint32_t want, int timeout_ms)
{
    struct reg_want w = {base, off, mask, want};

    return poll_until(reg_matches, &w, timeout_ms);
}
