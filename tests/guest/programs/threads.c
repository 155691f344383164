/* tests/guest/programs/threads.c: pthreads on the kernel's clone, futex and FS base:
 * a mutex-protected counter, a condition-variable producer/consumer, join values,
 * and per-thread state (_Thread_local, errno, thread ids). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#define NTHREADS 8
#define INCREMENTS 20000
#define ITEMS 2000
#define RING_SLOTS 4
#define TLS_INITIAL 5

/* tcc has no _Thread_local; errno below still checks per-thread state under tcc. */
#ifdef __TINYC__
#define HAVE_THREAD_LOCAL 0
#else
#define HAVE_THREAD_LOCAL 1
static _Thread_local int tls_value = TLS_INITIAL;
#endif

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;   /* counter_lock */

static void *increment_worker(void *arg)
{
    intptr_t id = (intptr_t)arg;

    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        pthread_mutex_unlock(&counter_lock);
    }
    return (void *)(id * 10 + 1);
}

static void test_mutex_counter(void)
{
    pthread_t threads[NTHREADS];
    int created = 0, right_values = 0;

    for (intptr_t i = 0; i < NTHREADS; i++)
        created += pthread_create(&threads[i], NULL, increment_worker, (void *)i) == 0;
    if (!tap_ok(created == NTHREADS, "%d threads created", NTHREADS))
        return;
    for (intptr_t i = 0; i < NTHREADS; i++) {
        void *ret = NULL;
        if (pthread_join(threads[i], &ret) == 0 && ret == (void *)(i * 10 + 1))
            right_values++;
    }
    tap_ok(right_values == NTHREADS, "pthread_join returns each thread's own value");
    tap_is_long(counter, (long)NTHREADS * INCREMENTS, "mutex-protected counter is exact");
}

/* A bounded ring between one producer and one consumer. */
struct ring {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    int items[RING_SLOTS];   /* lock */
    int head, count;         /* lock */
};

static struct ring ring = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0, 0
};

static void ring_put(int value)
{
    pthread_mutex_lock(&ring.lock);
    while (ring.count == RING_SLOTS)
        pthread_cond_wait(&ring.not_full, &ring.lock);
    ring.items[(ring.head + ring.count) % RING_SLOTS] = value;
    ring.count++;
    pthread_cond_signal(&ring.not_empty);
    pthread_mutex_unlock(&ring.lock);
}

static int ring_get(void)
{
    int value;

    pthread_mutex_lock(&ring.lock);
    while (ring.count == 0)
        pthread_cond_wait(&ring.not_empty, &ring.lock);
    value = ring.items[ring.head];
    ring.head = (ring.head + 1) % RING_SLOTS;
    ring.count--;
    pthread_cond_signal(&ring.not_full);
    pthread_mutex_unlock(&ring.lock);
    return value;
}

/* Sends 1..ITEMS, then 0 to say it is done. */
static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++)
        ring_put(i);
    ring_put(0);
    return NULL;
}

struct consumed {
    long sum;
    int out_of_order;
};

static void *consumer(void *arg)
{
    struct consumed *c = arg;
    int last = 0, value;

    while ((value = ring_get()) != 0) {
        c->out_of_order += value != last + 1;
        c->sum += value;
        last = value;
    }
    return NULL;
}

static void test_producer_consumer(void)
{
    pthread_t prod, cons;
    struct consumed got = { 0, 0 };

    if (!tap_ok(pthread_create(&cons, NULL, consumer, &got) == 0 &&
                pthread_create(&prod, NULL, producer, NULL) == 0,
                "producer and consumer threads created"))
        return;
    pthread_join(prod, NULL);
    pthread_join(cons, NULL);
    if (!tap_ok(got.sum == (long)ITEMS * (ITEMS + 1) / 2 && got.out_of_order == 0,
                "condition variables hand over %d items in order through %d slots", ITEMS,
                RING_SLOTS))
        tap_diag("sum %ld, %d out of order", got.sum, got.out_of_order);
}

static void *exiting_worker(void *arg)
{
    (void)arg;
    pthread_exit((void *)77);
    return NULL;
}

static void test_pthread_exit(void)
{
    pthread_t t;
    void *ret = NULL;

    tap_ok(pthread_create(&t, NULL, exiting_worker, NULL) == 0 && pthread_join(t, &ret) == 0 &&
           ret == (void *)77, "pthread_exit's value reaches pthread_join");
}

/* What each thread saw of its own state; main compares across threads. */
struct identity {
    pthread_barrier_t *barrier;
    int id;
    pid_t tid, pid;
    bool tls_started_initial, tls_kept, errno_kept;
    const void *tls_address;
};

static void *identity_worker(void *arg)
{
    struct identity *me = arg;

    me->tid = (pid_t)syscall(SYS_gettid);
    me->pid = getpid();
#if HAVE_THREAD_LOCAL
    me->tls_started_initial = tls_value == TLS_INITIAL;
    tls_value = 100 + me->id;
    me->tls_address = &tls_value;
#endif
    errno = 1000 + me->id;
    /* Every thread has written its values before any thread reads them back. */
    pthread_barrier_wait(me->barrier);
    sched_yield();
    pthread_barrier_wait(me->barrier);
#if HAVE_THREAD_LOCAL
    me->tls_kept = tls_value == 100 + me->id;
#endif
    me->errno_kept = errno == 1000 + me->id;
    return NULL;
}

static int count_distinct_tids(const struct identity *ids, pid_t main_tid)
{
    int distinct = 0;

    for (int i = 0; i < NTHREADS; i++) {
        bool unique = ids[i].tid > 0 && ids[i].tid != main_tid;
        for (int j = 0; j < i; j++)
            unique = unique && ids[j].tid != ids[i].tid;
        distinct += unique;
    }
    return distinct;
}

static void check_thread_local(const struct identity *ids)
{
#if HAVE_THREAD_LOCAL
    int initial = 0, kept = 0, distinct = 0;

    for (int i = 0; i < NTHREADS; i++) {
        initial += ids[i].tls_started_initial;
        kept += ids[i].tls_kept;
        distinct += ids[i].tls_address != &tls_value;
        for (int j = 0; j < i; j++)
            distinct -= ids[j].tls_address == ids[i].tls_address;
    }
    tap_ok(initial == NTHREADS, "each thread's _Thread_local starts at its initializer");
    tap_ok(kept == NTHREADS && tls_value == TLS_INITIAL,
           "_Thread_local values stay separate per thread");
    tap_ok(distinct == NTHREADS, "_Thread_local has a distinct address in every thread");
#else
    (void)ids;
    tap_skip("_Thread_local starts at its initializer", "compiler has no _Thread_local");
    tap_skip("_Thread_local values stay separate per thread", "compiler has no _Thread_local");
    tap_skip("_Thread_local has a distinct address", "compiler has no _Thread_local");
#endif
}

static void test_per_thread_state(void)
{
    pthread_t threads[NTHREADS];
    struct identity ids[NTHREADS];
    pthread_barrier_t barrier;
    pid_t main_tid = (pid_t)syscall(SYS_gettid);
    int created = 0, errno_kept = 0, same_pid = 0;

    pthread_barrier_init(&barrier, NULL, NTHREADS);
    for (int i = 0; i < NTHREADS; i++) {
        ids[i] = (struct identity){ .barrier = &barrier, .id = i };
        created += pthread_create(&threads[i], NULL, identity_worker, &ids[i]) == 0;
    }
    if (!tap_ok(created == NTHREADS, "%d more threads created", NTHREADS))
        return;   /* the barrier would never open; leave the stuck threads */
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(threads[i], NULL);
        errno_kept += ids[i].errno_kept;
        same_pid += ids[i].pid == getpid();
    }
    pthread_barrier_destroy(&barrier);
    tap_ok(main_tid == getpid(), "the main thread's id is the process id");
    tap_is_long(count_distinct_tids(ids, main_tid), NTHREADS, "every thread has its own id");
    tap_ok(same_pid == NTHREADS, "getpid is the same in every thread");
    tap_ok(errno_kept == NTHREADS, "errno is per thread (musl keeps it behind the FS base)");
    check_thread_local(ids);
}

int main(void)
{
    test_mutex_counter();
    test_producer_consumer();
    test_pthread_exit();
    test_per_thread_state();
    return tap_done();
}
