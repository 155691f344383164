/* tests/guest/programs/preempt.c: preemption and fair sharing: two children spin without
 * system calls for about a second, counting in shared memory; both must make progress,
 * and the sleeping parent must still wake up to stop them. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>

#include "tap.h"
#include "util.h"

#define SPINNERS 2
#define RUN_MS 1000
#define READY_POLL_MS 1
#define READY_LIMIT_MS 10000
#define MIN_SHARE_PERCENT 10     /* "not starved": at least this much of the total */
#define CACHE_LINE 64

/* One cache line per counter so the spinners do not slow each other on real SMP. */
struct spinner_slot {
    volatile uint64_t count;    /* written only by its spinner */
    volatile int ready;         /* written only by its spinner */
    char pad[CACHE_LINE - sizeof(uint64_t) - sizeof(int)];
};

struct shared {
    struct spinner_slot slot[SPINNERS];
    volatile int go, stop;      /* written only by the parent */
};

_Static_assert(sizeof(struct spinner_slot) == CACHE_LINE, "one counter per cache line");

/* No system call inside the counting loop: only the timer can take the CPU away. */
static void run_spinner(struct shared *sh, int me)
{
    struct spinner_slot *slot = &sh->slot[me];

    slot->ready = 1;
    while (!sh->go)
        sched_yield();   /* leave the CPU to the parent while it starts the other one */
    while (!sh->stop)
        slot->count++;
    _exit(0);
}

static bool wait_until_ready(struct shared *sh)
{
    for (int waited = 0; waited < READY_LIMIT_MS; waited += READY_POLL_MS) {
        int ready = 0;
        for (int i = 0; i < SPINNERS; i++)
            ready += sh->slot[i].ready;
        if (ready == SPINNERS)
            return true;
        sleep_ms(READY_POLL_MS);
    }
    return false;
}

/* Sleep until RUN_MS have passed by CLOCK_MONOTONIC; returns the time slept. */
static uint64_t sleep_run_time(void)
{
    uint64_t start = mono_ns(), now;

    while ((now = mono_ns()) - start < RUN_MS * NS_PER_MS)
        sleep_ms((unsigned)((RUN_MS * NS_PER_MS - (now - start)) / NS_PER_MS) + 1);
    return now - start;
}

static void check_shares(const struct shared *sh)
{
    uint64_t a = sh->slot[0].count, b = sh->slot[1].count, total = a + b;
    uint64_t smaller = a < b ? a : b;

    tap_diag("spinner counts %llu and %llu", (unsigned long long)a, (unsigned long long)b);
    tap_ok(a > 0, "the first spinner made progress");
    tap_ok(b > 0, "the second spinner made progress");
    if (!tap_ok(total > 0 && smaller * 100 >= total * MIN_SHARE_PERCENT,
                "neither spinner starved: each did at least %d%% of the work", MIN_SHARE_PERCENT))
        tap_diag("smaller share %.1f%%", total ? 100.0 * (double)smaller / (double)total : 0.0);
}

int main(void)
{
    struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t pids[SPINNERS];
    int exited_ok = 0;
    uint64_t slept;

    if (!tap_ok(sh != MAP_FAILED, "shared anonymous mapping"))
        return tap_done();
    fflush(stdout);
    for (int i = 0; i < SPINNERS; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            run_spinner(sh, i);
    }
    if (!tap_ok(pids[0] > 0 && pids[1] > 0 && wait_until_ready(sh), "both spinners started"))
        sh->stop = 1;
    sh->go = 1;
    slept = sleep_run_time();
    sh->stop = 1;
    tap_diag("the parent slept %.0f ms while they spun", ns_to_ms(slept));
    for (int i = 0; i < SPINNERS; i++) {
        int status = 0;
        exited_ok += pids[i] > 0 && wait_child(pids[i], &status) == pids[i] && exited_with(status, 0);
    }
    tap_ok(exited_ok == SPINNERS, "the parent woke, stopped both spinners, and they exited 0");
    check_shares(sh);
    munmap(sh, sizeof *sh);
    return tap_done();
}
