/* tests/guest/programs/sleep.c: clocks and sleeping: nanosleep and clock_nanosleep last at
 * least what was asked (with an upper bound that only catches a sleep that does not end),
 * the monotonic clock never goes back, and the wall clock is set and agrees with
 * gettimeofday and time. `sleep -n SECONDS` sleeps once between two lines, so the host
 * can time the sleep against its own clock (tests/guest/kernel.t): how long a second
 * really lasts cannot be judged from clocks the kernel derives from each other. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/time.h>

#include "tap.h"
#include "util.h"

#define SLEEP_MS 100
#define SLEEP_LIMIT_MS 20000         /* a busy host under emulation can be slow to wake us */
#define ABS_SLEEP_MS 50
#define EPOCH_2024 1704067200LL      /* 2024-01-01T00:00:00Z */
#define CLOCKS_AGREE_MS 2000
#define MONOTONIC_READS 10000
#define NSEC_LIMIT 1000000000L       /* tv_nsec must be below this */

static int64_t ts_ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * (int64_t)NS_PER_SEC + ts->tv_nsec;
}

static int64_t clock_ns(clockid_t clock)
{
    struct timespec ts = { 0, 0 };

    clock_gettime(clock, &ts);
    return ts_ns(&ts);
}

static void check_duration(int64_t took, int64_t min_ms, const char *what)
{
    if (!tap_ok(took >= min_ms * (int64_t)NS_PER_MS && took <= SLEEP_LIMIT_MS * (int64_t)NS_PER_MS,
                "%s", what))
        tap_diag("took %.3f ms", (double)took / NS_PER_MS);
}

static void test_nanosleep(void)
{
    struct timespec req = { 0, SLEEP_MS * 1000000L };
    int64_t mono0 = clock_ns(CLOCK_MONOTONIC);
    int r = nanosleep(&req, NULL);
    int64_t mono = clock_ns(CLOCK_MONOTONIC) - mono0;

    tap_is_long(r, 0, "nanosleep of 100 ms returns 0");
    check_duration(mono, SLEEP_MS, "it lasts at least 100 ms of CLOCK_MONOTONIC, and ends");
    tap_diag("slept %.3f ms", (double)mono / NS_PER_MS);
}

static void test_absolute_sleep(void)
{
    struct timespec deadline;
    int64_t start = clock_ns(CLOCK_MONOTONIC), wake;
    int r;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += ABS_SLEEP_MS * 1000000L;
    if (deadline.tv_nsec >= NSEC_LIMIT) {
        deadline.tv_sec++;
        deadline.tv_nsec -= NSEC_LIMIT;
    }
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
    wake = clock_ns(CLOCK_MONOTONIC);
    if (!tap_ok(r == 0 && wake >= ts_ns(&deadline),
                "clock_nanosleep TIMER_ABSTIME returns at or after its deadline"))
        tap_diag("returned %d, woke %.3f ms before the deadline", r,
                 (double)(ts_ns(&deadline) - wake) / NS_PER_MS);
    check_duration(wake - start, 0, "and ends");
}

static void test_bad_and_zero_sleeps(void)
{
    struct timespec bad = { 0, NSEC_LIMIT }, zero = { 0, 0 };
    int64_t start;

    tap_fails_with(nanosleep(&bad, NULL), EINVAL, "nanosleep with tv_nsec = 1e9 fails: EINVAL");
    start = clock_ns(CLOCK_MONOTONIC);
    tap_ok(nanosleep(&zero, NULL) == 0, "nanosleep of zero returns 0");
    check_duration(clock_ns(CLOCK_MONOTONIC) - start, 0, "and returns promptly");
}

static void test_monotonic(void)
{
    int64_t last = clock_ns(CLOCK_MONOTONIC);
    int backwards = 0;
    struct timespec res = { 0, 0 };

    for (int i = 0; i < MONOTONIC_READS; i++) {
        int64_t now = clock_ns(CLOCK_MONOTONIC);
        backwards += now < last;
        last = now;
    }
    tap_is_long(backwards, 0, "10000 CLOCK_MONOTONIC reads never go backwards");
    if (!tap_ok(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0,
                "clock_getres(CLOCK_MONOTONIC) is between 1 ns and 1 s"))
        tap_diag("resolution %lld.%09ld s", (long long)res.tv_sec, res.tv_nsec);
}

static void test_wall_clock(void)
{
    struct timespec real;
    struct timeval tv;
    time_t now;
    int64_t diff_ms;

    clock_gettime(CLOCK_REALTIME, &real);
    gettimeofday(&tv, NULL);
    now = time(NULL);
    if (!tap_ok((long long)real.tv_sec > EPOCH_2024, "CLOCK_REALTIME is after 2024-01-01"))
        tap_diag("CLOCK_REALTIME is %lld s", (long long)real.tv_sec);
    diff_ms = ((int64_t)tv.tv_sec - real.tv_sec) * 1000 + (tv.tv_usec / 1000 - real.tv_nsec / 1000000);
    if (!tap_ok(diff_ms >= 0 && diff_ms <= CLOCKS_AGREE_MS, "gettimeofday agrees with it"))
        tap_diag("gettimeofday is %lld ms later", (long long)diff_ms);
    tap_ok(now >= real.tv_sec && now - real.tv_sec <= CLOCKS_AGREE_MS / 1000,
           "time() agrees with it");
}

/* -n SECONDS: one sleep between two lines the host stamps with its own clock. */
static int nap(const char *arg)
{
    struct timespec req = { atoi(arg), 0 };

    printf("sleep: start %ld s\n", (long)req.tv_sec);
    fflush(stdout);
    while (nanosleep(&req, &req) != 0 && errno == EINTR)
        ;
    printf("sleep: done\n");
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-n") == 0)
        return nap(argv[2]);
    test_nanosleep();
    test_absolute_sleep();
    test_bad_and_zero_sleeps();
    test_monotonic();
    test_wall_clock();
    return tap_done();
}
