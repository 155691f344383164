/* bench/programs/kbench.c: kernel micro-benchmarks that run unchanged on the host's
 * Linux and in Anvil (one static musl binary): null syscall, fork(+exec)+wait, pipe
 * round trip, context switch, page faults. One "name value unit" line per measure. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYSCALL_ROUNDS 200000L
#define FORK_EXEC_ROUNDS 200L
#define FORK_ROUNDS 500L
#define PIPE_ROUNDS 20000L
#define SCALE_DOWN 10L              /* -s: the guest runs under TCG, so do a tenth of the work */
#define TOUCH_BYTES (64UL << 20)    /* big enough that the faults dwarf mmap and munmap */
#define PAGE_BYTES 4096UL           /* x86_64 base page (Intel SDM vol. 3 §4.5) */
#define NS_PER_US 1000.0
#define CHILD_ARG "--exit-now"      /* argv[1] of the exec'd copy: exit at once */
#define EXEC_FAILED_EXIT 127

extern char **environ;

/* Written once by main before any measure, read-only after. */
static long scale_div = 1;

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long rounds(long full)
{
    return full / scale_div;
}

/* Flushed at once: the host script timestamps the lines as they arrive, and a
 * buffered line would also be copied into every forked child. */
static void say(const char *line)
{
    printf("%s\n", line);
    fflush(stdout);
}

static void report(const char *name, double value, const char *unit)
{
    printf("%s %.1f %s\n", name, value, unit);
    fflush(stdout);
}

/* getppid through syscall() so that no libc caching can skip the kernel entry. */
static bool bench_null_syscall(double *ns)
{
    long n = rounds(SYSCALL_ROUNDS);
    double t0 = now_ns();

    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
    *ns = (now_ns() - t0) / (double)n;
    return true;
}

/* One child, waited for: it execs self (when self is set) or exits at once. */
static bool spawn_once(const char *self)
{
    int status = 0;
    pid_t pid = fork();

    if (pid < 0)
        return false;
    if (pid == 0) {
        if (self) {
            char *argv[] = { (char *)self, CHILD_ARG, NULL };
            execve(self, argv, environ);
        }
        _exit(self ? EXEC_FAILED_EXIT : 0);
    }
    if (waitpid(pid, &status, 0) != pid)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* self is argv[0] as given: it must be a path (no /proc/self/exe in Anvil). */
static bool bench_spawn(const char *self, long full_rounds, double *us)
{
    long n = rounds(full_rounds);
    double t0 = now_ns();

    for (long i = 0; i < n; i++) {
        if (!spawn_once(self)) {
            fprintf(stderr, "kbench: %s round %ld failed\n", self ? "fork+exec" : "fork", i);
            return false;
        }
    }
    *us = (now_ns() - t0) / (double)n / NS_PER_US;
    return true;
}

/* The echo side of the ping-pong: until the parent closes its end. */
static void echo_child(int in, int out)
{
    char c;

    while (read(in, &c, 1) == 1) {
        if (write(out, &c, 1) != 1)
            break;
    }
    _exit(0);
}

/* Round trips of one byte between this process and an echoing child, in ns. */
static bool pipe_round_trips(long n, double *ns)
{
    int to_child[2], to_parent[2];
    bool ok = true;
    char c = 'x';
    pid_t pid;
    double t0;

    if (pipe(to_child) != 0 || pipe(to_parent) != 0 || (pid = fork()) < 0)
        return false;
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        echo_child(to_child[0], to_parent[1]);
    }
    close(to_child[0]);
    close(to_parent[1]);
    t0 = now_ns();
    for (long i = 0; i < n && ok; i++)
        ok = write(to_child[1], &c, 1) == 1 && read(to_parent[0], &c, 1) == 1;
    *ns = (now_ns() - t0) / (double)n;
    close(to_child[1]);          /* EOF: the child leaves its loop */
    close(to_parent[0]);
    return waitpid(pid, NULL, 0) == pid && ok;
}

/* A write and a read of one byte on one pipe in one process: the pipe work of half
 * a round trip without the switch. */
static bool pipe_local(long n, double *ns)
{
    int fds[2];
    bool ok = true;
    char c = 'x';
    double t0;

    if (pipe(fds) != 0)
        return false;
    t0 = now_ns();
    for (long i = 0; i < n && ok; i++)
        ok = write(fds[1], &c, 1) == 1 && read(fds[0], &c, 1) == 1;
    *ns = (now_ns() - t0) / (double)n;
    close(fds[0]);
    close(fds[1]);
    return ok;
}

/* The context switch is derived as lmbench's lat_ctx does: a round trip is two
 * switches (to the child and back) plus, on each side, one write and one read;
 * that pipe work, timed in one process, is taken off, and the rest halved. It
 * includes the sleep and wake-up a blocking read costs, as a real switch does. */
static bool bench_pipe(double *rt_us, double *switch_ns)
{
    long n = rounds(PIPE_ROUNDS);
    double rt, local;

    if (!pipe_round_trips(n, &rt) || !pipe_local(n, &local))
        return false;
    *rt_us = rt / NS_PER_US;
    *switch_ns = (rt - 2 * local) / 2;
    return true;
}

/* Write one byte per page of fresh anonymous memory: one fault each. */
static bool bench_page_faults(double *ns)
{
    size_t pages = TOUCH_BYTES / PAGE_BYTES;
    volatile char *p = mmap(NULL, TOUCH_BYTES, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    double t0;

    if (p == (volatile char *)MAP_FAILED)
        return false;
    /* Linux may back this with 2 MiB pages (one fault per 512 pages); ask for base
     * pages, as Anvil uses. Anvil accepts and ignores it; failure is harmless. */
    madvise((void *)p, TOUCH_BYTES, MADV_NOHUGEPAGE);
    t0 = now_ns();
    for (size_t i = 0; i < pages; i++)
        p[i * PAGE_BYTES] = 1;
    *ns = (now_ns() - t0) / (double)pages;
    munmap((void *)p, TOUCH_BYTES);
    return true;
}

/* The guest has one CPU. On a host with more, run everything (children inherit it)
 * on one, so a pipe round trip is two real switches there too rather than two
 * wake-ups across CPUs. Anvil reports one CPU, so it never sees setaffinity. */
static void pin_to_one_cpu(void)
{
    cpu_set_t set;
    int cpu = 0;

    if (sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) <= 1)
        return;
    while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set))
        cpu++;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        perror("kbench: sched_setaffinity");
}

/* Runs every measure; returns how many failed. */
static int run_all(const char *self)
{
    double v, w;
    int failed = 0;

    if (bench_null_syscall(&v))
        report("null_syscall_ns", v, "ns");
    else
        failed++;
    if (bench_spawn(self, FORK_EXEC_ROUNDS, &v))
        report("fork_exec_wait_us", v, "us");
    else
        failed++;
    if (bench_spawn(NULL, FORK_ROUNDS, &v))
        report("fork_wait_us", v, "us");
    else
        failed++;
    if (bench_pipe(&v, &w)) {
        report("pipe_round_trip_us", v, "us");
        report("context_switch_ns", w, "ns");
    } else {
        failed++;
    }
    if (bench_page_faults(&v))
        report("page_fault_ns", v, "ns");
    else
        failed++;
    return failed;
}

int main(int argc, char **argv)
{
    int failed;

    if (argc == 2 && strcmp(argv[1], CHILD_ARG) == 0)
        return 0;
    say("kbench: start");        /* first, so the host can time the boot to it */
    if (argc == 2 && strcmp(argv[1], "-s") == 0) {
        scale_div = SCALE_DOWN;
    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [-s]   (-s: a tenth of the iterations)\n", argv[0]);
        return 2;
    }
    pin_to_one_cpu();
    failed = run_all(argv[0]);
    if (failed)
        fprintf(stderr, "kbench: %d measure(s) failed\n", failed);
    say(failed ? "kbench: done (with failures)" : "kbench: done");
    return failed ? 1 : 0;
}
