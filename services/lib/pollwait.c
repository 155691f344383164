/* services/lib/pollwait.c: waiting for a device with a deadline: yielding
 * between looks so the device model (and everyone else) gets the CPU, or
 * sleeping until the device's interrupt when the driver has one. */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

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

int poll_irq_until(int irq_fd, bool (*done)(void *arg), void *arg, int timeout_ms)
{
    struct pollfd p = {.fd = irq_fd, .events = POLLIN};
    long deadline = now_ms() + timeout_ms, left;
    uint64_t count;

    if (irq_fd < 0)
        return poll_until(done, arg, timeout_ms);
    while (!done(arg)) {
        if ((left = deadline - now_ms()) < 0)
            return done(arg) ? 0 : -ETIMEDOUT;
        if (poll(&p, 1, (int)left) > 0 && read(irq_fd, &count, sizeof(count)) < 0)
            return -EIO;
    }
    return 0;
}

int poll_line_until(int line_fd, bool (*done)(void *arg), void (*quiet)(void *arg), void *arg,
                    int timeout_ms)
{
    struct pollfd p = {.fd = line_fd, .events = POLLIN};
    long deadline = now_ms() + timeout_ms, left;
    uint64_t count;

    while (!done(arg)) {
        if ((left = deadline - now_ms()) < 0)
            return done(arg) ? 0 : -ETIMEDOUT;
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        if (read(line_fd, &count, sizeof(count)) < 0)
            return -EIO;
        quiet(arg);
        if (write(line_fd, &count, sizeof(count)) < 0)
            return -EIO;
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
