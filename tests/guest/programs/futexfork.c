/* tests/guest/programs/futexfork.c: a futex in private memory survives a fork. A thread
 * waits on a word in a private page; the main thread forks (the page is now shared
 * copy-on-write), writes the word (which copies the page) and wakes the futex: the
 * waiter must wake, not sleep until its timeout (regress_futex_cow, issue 11 finding 8:
 * private futexes are keyed by address space and address, not by the physical page). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "tap.h"
#include "util.h"

/* linux/futex.h, which musl does not ship */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define WAIT_LIMIT_S 5
#define SETTLE_MS 200

static volatile uint32_t *word;
static volatile long wait_result = 1;
static volatile int wait_errno;

static long futex(volatile uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

static void *waiter(void *arg)
{
    struct timespec limit = { WAIT_LIMIT_S, 0 };
    long r;

    r = futex(word, (int)(intptr_t)arg, 0, &limit);
    wait_errno = errno;
    wait_result = r;
    return NULL;
}

static void run(int op_wait, int op_wake, const char *what)
{
    pthread_t t;
    int status = 0, go[2];
    pid_t child;
    long woken;

    *word = 0;
    wait_result = 1;
    if (pipe(go) != 0 || pthread_create(&t, NULL, waiter, (void *)(intptr_t)op_wait) != 0) {
        tap_ok(false, "%s: set up", what);
        return;
    }
    sleep_ms(SETTLE_MS);                 /* the thread is asleep on the word */
    child = fork();
    if (child == 0) {
        char c;
        read_full(go[0], &c, 1);         /* keep the page shared until the wake is done */
        _exit(0);
    }
    *word = 1;                           /* copy-on-write: our own copy of the page */
    woken = futex(word, op_wake, 1, NULL);
    pthread_join(t, NULL);
    write_full(go[1], "x", 1);
    wait_child(child, &status);
    close(go[0]);
    close(go[1]);
    tap_ok(woken == 1, "%s: the wake after fork found the waiter (woke %ld)", what, woken);
    if (!tap_ok(wait_result == 0, "%s: the waiter woke, not timed out", what))
        tap_diag("FUTEX_WAIT returned %ld, errno %d (%s)", wait_result, wait_errno,
                 strerror(wait_errno));
}

int main(void)
{
    word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!tap_ok(word != MAP_FAILED, "a private page for the word"))
        return tap_done();
    run(FUTEX_WAIT_PRIVATE, FUTEX_WAKE_PRIVATE, "FUTEX_PRIVATE_FLAG");
    run(FUTEX_WAIT, FUTEX_WAKE, "without FUTEX_PRIVATE_FLAG, a private page");
    return tap_done();
}
