/* tests/guest/programs/futexes.c: what musl builds on futexes beyond plain locks: robust
 * mutexes (EOWNERDEAD after the owner thread or process dies, for a waiter too), priority-
 * inheritance mutexes (FUTEX_LOCK_PI/UNLOCK_PI/TRYLOCK_PI under contention), thread
 * cancellation of threads blocked in read and nanosleep, and raise() racing handlers. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "tap.h"
#include "util.h"

#define PI_THREADS 4
#define PI_ROUNDS 2000
#define RAISES 2000
#define SETTLE_MS 100
#define TIMEOUT_MS 50

static pthread_mutex_t robust;
static int pipe_a[2], pipe_b[2];

static void init_mutex(pthread_mutex_t *m, int robustness, int protocol, int type, int pshared)
{
    pthread_mutexattr_t a;

    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, robustness);
    pthread_mutexattr_setprotocol(&a, protocol);
    pthread_mutexattr_settype(&a, type);
    pthread_mutexattr_setpshared(&a, pshared);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

/* Lock the mutex, say so on pipe_a, wait for a word on pipe_b, then exit holding it. */
static void *die_holding(void *arg)
{
    char c;

    pthread_mutex_lock(arg);
    write(pipe_a[1], "l", 1);
    read(pipe_b[0], &c, 1);
    return NULL;
}

static void *lock_and_report(void *arg)
{
    int r = pthread_mutex_lock(arg);

    if (r == EOWNERDEAD || r == 0)
        pthread_mutex_consistent(arg), pthread_mutex_unlock(arg);
    return (void *)(intptr_t)r;
}

static void test_robust_threads(void)
{
    pthread_t owner, waiter;
    void *res;
    char c;

    init_mutex(&robust, PTHREAD_MUTEX_ROBUST, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_NORMAL, PTHREAD_PROCESS_PRIVATE);
    pthread_create(&owner, NULL, die_holding, &robust);
    read(pipe_a[0], &c, 1);
    write(pipe_b[1], "x", 1);
    pthread_join(owner, NULL);
    tap_is_long(pthread_mutex_lock(&robust), EOWNERDEAD, "robust mutex: the next locker after the owner thread exits gets EOWNERDEAD");
    tap_ok(pthread_mutex_consistent(&robust) == 0 && pthread_mutex_unlock(&robust) == 0 &&
               pthread_mutex_lock(&robust) == 0 && pthread_mutex_unlock(&robust) == 0,
           "after pthread_mutex_consistent it locks normally");
    pthread_create(&owner, NULL, die_holding, &robust);
    read(pipe_a[0], &c, 1);
    pthread_create(&waiter, NULL, lock_and_report, &robust);
    sleep_ms(SETTLE_MS);   /* the waiter sleeps in the kernel now */
    write(pipe_b[1], "x", 1);
    pthread_join(owner, NULL);
    pthread_join(waiter, &res);
    tap_is_long((long)(intptr_t)res, EOWNERDEAD, "a thread already waiting is woken with EOWNERDEAD");
    pthread_mutex_destroy(&robust);
}

/* Exit with the bare exit system call, so musl's own robust-list cleanup in
 * pthread_exit does not run and only the kernel's walk can mark the mutex (musl
 * registers only process-shared robust mutexes with the kernel). Such a thread
 * cannot be joined (musl's join waits for pthread_exit). */
static void *die_raw(void *arg)
{
    pthread_mutex_lock(arg);
    write(pipe_a[1], "l", 1);
    sleep_ms(SETTLE_MS);   /* the main thread sleeps on the mutex by now */
    syscall(SYS_exit, 0);
    return NULL;
}

/* A robust list that loops on itself with a futex offset into nowhere. */
static void *die_with_bad_list(void *arg)
{
    static struct { void *next; long offset; void *pending; } head;
    static void *entry[1];

    (void)arg;
    entry[0] = entry;   /* never back to the head */
    head.next = entry;
    head.offset = 1L << 40;
    head.pending = (void *)8;
    syscall(SYS_set_robust_list, &head, sizeof head);
    syscall(SYS_exit, 0);
    return NULL;
}

/* In a child process, as a thread gone by the bare exit call leaves musl's thread
 * list behind: 0 when the kernel marked the mutex, 1 when not, 2 for the length check. */
static int robust_kernel_child(void)
{
    pthread_t t;
    char c;

    init_mutex(&robust, PTHREAD_MUTEX_ROBUST, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_NORMAL, PTHREAD_PROCESS_SHARED);
    pthread_create(&t, NULL, die_raw, &robust);
    read(pipe_a[0], &c, 1);
    if (pthread_mutex_lock(&robust) != EOWNERDEAD)
        return 1;
    if (syscall(SYS_set_robust_list, &t, 23) != -1 || errno != EINVAL)
        return 2;
    pthread_create(&t, NULL, die_with_bad_list, NULL);
    sleep_ms(SETTLE_MS);
    return 0;
}

static void test_robust_kernel(void)
{
    pid_t pid;
    int st;

    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(robust_kernel_child());
    waitpid(pid, &st, 0);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) != 1,
           "the kernel walks the robust list of a thread that exits: EOWNERDEAD");
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) != 2, "set_robust_list with a wrong length: EINVAL");
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a thread with a looping, bogus robust list exits and all goes on");
}

static void test_robust_process(void)
{
    pthread_mutex_t *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t pid;
    int st;

    if (!tap_ok(m != MAP_FAILED, "shared memory for a process-shared robust mutex"))
        return;
    init_mutex(m, PTHREAD_MUTEX_ROBUST, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_NORMAL, PTHREAD_PROCESS_SHARED);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(m);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    tap_is_long(pthread_mutex_lock(m), EOWNERDEAD, "a process that exits holding a shared robust mutex: EOWNERDEAD");
    pthread_mutex_consistent(m);
    pthread_mutex_unlock(m);
    munmap(m, sizeof *m);
}

/* A process that execs while it holds a shared robust mutex gives it up as if it
 * had exited (the new image knows nothing of it). */
static void test_robust_exec(const char *self)
{
    pthread_mutex_t *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct timespec at;
    pid_t pid;

    if (m == MAP_FAILED)
        return;
    init_mutex(m, PTHREAD_MUTEX_ROBUST, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_NORMAL, PTHREAD_PROCESS_SHARED);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(m);
        execl(self, self, "exit", (char *)NULL);
        _exit(1);
    }
    waitpid(pid, NULL, 0);
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_sec += 5;
    if (tap_is_long(pthread_mutex_timedlock(m, &at), EOWNERDEAD,
                    "a process that execs holding a shared robust mutex: EOWNERDEAD")) {
        pthread_mutex_consistent(m);
        pthread_mutex_unlock(m);   /* off our robust list before the memory goes */
    }
    munmap(m, sizeof *m);
}

static pthread_mutex_t pi;
static long pi_counter;

static void *pi_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < PI_ROUNDS; i++) {
        if (pthread_mutex_lock(&pi) != 0)
            return (void *)1;
        long v = pi_counter;
        if (i % 64 == 0)
            sched_yield();   /* let the others pile up on the lock */
        pi_counter = v + 1;
        pthread_mutex_unlock(&pi);
    }
    return NULL;
}

static void *pi_try(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)pthread_mutex_trylock(&pi);
}

static void *pi_timed(void *arg)
{
    struct timespec at;

    (void)arg;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_nsec += TIMEOUT_MS * 1000000L;
    if (at.tv_nsec >= 1000000000L)
        at.tv_sec++, at.tv_nsec -= 1000000000L;
    return (void *)(intptr_t)pthread_mutex_timedlock(&pi, &at);
}

static long join_result(void *(*fn)(void *))
{
    pthread_t t;
    void *res;

    pthread_create(&t, NULL, fn, NULL);
    pthread_join(t, &res);
    return (long)(intptr_t)res;
}

static void test_pi(void)
{
    pthread_t t[PI_THREADS];
    bool ok = true;

    init_mutex(&pi, PTHREAD_MUTEX_STALLED, PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_ERRORCHECK, PTHREAD_PROCESS_PRIVATE);
    for (int i = 0; i < PI_THREADS; i++)
        pthread_create(&t[i], NULL, pi_worker, NULL);
    for (int i = 0; i < PI_THREADS; i++) {
        void *res;
        pthread_join(t[i], &res);
        ok = ok && res == NULL;
    }
    tap_ok(ok && pi_counter == (long)PI_THREADS * PI_ROUNDS, "PI mutex: %d threads x %d rounds, count %ld",
           PI_THREADS, PI_ROUNDS, pi_counter);
    pthread_mutex_lock(&pi);
    tap_is_long(pthread_mutex_lock(&pi), EDEADLK, "PI errorcheck mutex locked twice: EDEADLK");
    tap_is_long(join_result(pi_try), EBUSY, "trylock of a held PI mutex from another thread: EBUSY");
    tap_is_long(join_result(pi_timed), ETIMEDOUT, "timedlock of a held PI mutex: ETIMEDOUT");
    pthread_mutex_unlock(&pi);
    tap_is_long(join_result(pi_try), 0, "after unlock another thread takes it");
    tap_is_long(pthread_mutex_unlock(&pi), EPERM, "unlocking a PI mutex held by someone else: EPERM");
    pthread_mutex_destroy(&pi);
}

static void *block_in_read(void *arg)
{
    char c;

    (void)arg;
    read(pipe_a[0], &c, 1);
    return (void *)1;
}

static void *block_in_sleep(void *arg)
{
    struct timespec ts = { 100, 0 };

    (void)arg;
    nanosleep(&ts, NULL);
    return (void *)1;
}

static void cancel_blocked(void *(*fn)(void *), const char *what)
{
    uint64_t t0 = mono_ns();
    pthread_t t;
    void *res = NULL;

    pthread_create(&t, NULL, fn, NULL);
    sleep_ms(SETTLE_MS);
    pthread_cancel(t);
    pthread_join(t, &res);
    tap_ok(res == PTHREAD_CANCELED && mono_ns() - t0 < 10 * NS_PER_SEC, "pthread_cancel of a thread blocked in %s", what);
}

static volatile sig_atomic_t usr1, usr2;

static void on_usr2(int sig)
{
    (void)sig;
    usr2++;
}

static void on_usr1(int sig)
{
    (void)sig;
    usr1++;
    raise(SIGUSR2);   /* a raise inside a handler, racing the outer loop's */
}

static void test_raise(void)
{
    struct sigaction a = { .sa_handler = on_usr1 }, b = { .sa_handler = on_usr2 };

    sigaction(SIGUSR1, &a, NULL);
    sigaction(SIGUSR2, &b, NULL);
    for (int i = 0; i < RAISES; i++)
        raise(SIGUSR1);
    tap_ok(usr1 == RAISES && usr2 == RAISES, "raise() %d times: each handler ran each time (%d, %d)", RAISES,
           (int)usr1, (int)usr2);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return 0;   /* test_robust_exec's new image */
    pipe(pipe_a);
    pipe(pipe_b);
    test_robust_threads();
    test_robust_kernel();
    test_robust_process();
    test_robust_exec(argv[0]);
    test_pi();
    cancel_blocked(block_in_read, "read");
    cancel_blocked(block_in_sleep, "nanosleep");
    test_raise();
    return tap_done();
}
