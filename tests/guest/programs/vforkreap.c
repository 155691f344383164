/* tests/guest/programs/vforkreap.c: a vfork child reaped by another thread while
 * its parent still waits for it to exec or exit. The parent thread sleeps in vfork
 * until the child lets go of the shared memory; a second thread reaps children as
 * fast as they end, so the child is gone (and its process freed) by the time the
 * parent wakes. The kernel must wake the parent cleanly every time: no hang, no
 * crash, no memory lost. posix_spawn is vfork + exec in musl, so both are tried.
 * Passes on Linux too. */
#define _GNU_SOURCE
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "tap.h"
#include "util.h"

#define ROUNDS 300
#define LEAK_MARGIN_KB 256

extern char **environ;

/* One writer each (the reaper counts, main stops it): volatile is enough here,
 * and tcc has no <stdatomic.h>. */
static volatile int reaped, stop;

/* Reap every child, as a SIGCHLD-driven event loop in another thread would. */
static void *reaper(void *arg)
{
    (void)arg;
    while (!stop) {
        int st;
        if (waitpid(-1, &st, WNOHANG) > 0)
            reaped++;
        else
            sched_yield();
    }
    return NULL;
}

/* vfork children that _exit at once: the parent resumes after its child is gone. */
static int vfork_rounds(void)
{
    volatile int ok = 0;   /* the child shares this stack until it exits */

    for (int i = 0; i < ROUNDS; i++) {
        pid_t pid = vfork();
        if (pid == 0)
            _exit(0);
        ok += pid > 0;
    }
    return ok;
}

static int spawn_rounds(const char *self)
{
    char *argv[] = {(char *)self, "--exit", NULL};
    int ok = 0;

    for (int i = 0; i < ROUNDS / 10; i++) {
        pid_t pid;
        ok += posix_spawn(&pid, self, NULL, NULL, argv, environ) == 0;
    }
    return ok;
}

int main(int argc, char **argv)
{
    pthread_t t;
    long before, after;
    int vforked, spawned;
    uint64_t deadline;

    if (argc > 1 && strcmp(argv[1], "--exit") == 0)
        return 0;
    before = meminfo_free_kb();
    tap_ok(pthread_create(&t, NULL, reaper, NULL) == 0, "a reaper thread starts");
    vforked = vfork_rounds();
    tap_ok(vforked == ROUNDS, "%d vforks return to the parent while another thread reaps (%d)",
           ROUNDS, vforked);
    spawned = spawn_rounds(argv[0]);
    tap_ok(spawned == ROUNDS / 10, "%d posix_spawns of this program return (%d)", ROUNDS / 10,
           spawned);
    deadline = mono_ns() + 10 * NS_PER_SEC;
    while (reaped < vforked + spawned && mono_ns() < deadline)
        sleep_ms(10);
    stop = 1;
    pthread_join(t, NULL);
    tap_ok(reaped == vforked + spawned, "the reaper saw every child end (%d of %d)", reaped,
           vforked + spawned);
    errno = 0;
    tap_ok(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "no child is left");
    after = meminfo_free_kb();
    if (running_in_anvil() &&   /* a host has no sys:meminfo, and its own free memory moves */
        !tap_ok(before > 0 && after > 0 && before - after < LEAK_MARGIN_KB, "no memory lost"))
        tap_diag("free %ld kB before, %ld kB after", before, after);
    return tap_done();
}
