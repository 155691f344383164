/* tests/guest/programs/util.h: helpers the guest test programs share: a monotonic clock,
 * a seeded PRNG, sleeping, whole reads and writes, reading a small file, the pid behind a
 * scheme, starting a daemon, a wait status in words, and a signal handler. */
#ifndef ANVIL_TESTS_GUEST_PROGRAMS_UTIL_H
#define ANVIL_TESTS_GUEST_PROGRAMS_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_MS 1000000ull
#define NS_PER_SEC 1000000000ull
#define SERVER_POLL_MS 10

static inline uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static inline double ns_to_ms(uint64_t ns)
{
    return (double)ns / (double)NS_PER_MS;
}

/* xorshift64 (Marsaglia 2003, shifts 13/7/17): the same stream for the same seed on
 * every system. The state must not be 0. */
static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* Sleep at least ms milliseconds, resuming when a signal handler interrupts. */
static inline void sleep_ms(unsigned ms)
{
    struct timespec left = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
}

/* Read exactly n bytes unless EOF or an error comes first; returns the bytes read. */
static inline size_t read_full(int fd, void *buf, size_t n)
{
    size_t done = 0;

    while (done < n) {
        ssize_t r = read(fd, (char *)buf + done, n - done);
        if (r > 0)
            done += (size_t)r;
        else if (r == 0 || errno != EINTR)
            break;
    }
    return done;
}

static inline bool write_full(int fd, const void *buf, size_t n)
{
    size_t done = 0;

    while (done < n) {
        ssize_t r = write(fd, (const char *)buf + done, n - done);
        if (r > 0)
            done += (size_t)r;
        else if (r == 0 || errno != EINTR)
            return false;
    }
    return true;
}

/* A small file's contents (one read), NUL-terminated: the count, or -1. */
static inline ssize_t slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = read(fd, buf, size - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return n;
}

/* The pid serving scheme name, from Anvil's sys:schemes ("name user PID"), or -1. */
static inline int scheme_pid(const char *name)
{
    char buf[4096], pat[64], *at;

    snprintf(pat, sizeof(pat), "\n%s user ", name);
    if (slurp("sys:schemes", buf + 1, sizeof(buf) - 1) < 0)
        return -1;
    buf[0] = '\n';
    at = strstr(buf, pat);
    return at ? atoi(at + strlen(pat)) : -1;
}

/* MemFree from Anvil's sys:meminfo in kB, or -1 (on a host, which has no sys:). */
static inline long meminfo_free_kb(void)
{
    char buf[256];
    const char *at;

    if (slurp("sys:meminfo", buf, sizeof buf) <= 0 || !(at = strstr(buf, "MemFree:")))
        return -1;
    return atol(at + strlen("MemFree:"));
}

/* Whether this runs in Anvil (its uname) rather than on a host's Linux. */
static inline bool running_in_anvil(void)
{
    struct utsname u;

    return uname(&u) == 0 && strcmp(u.sysname, "Linux") != 0;
}

/* waitpid for one child, resuming when a signal handler interrupts it. */
static inline pid_t wait_child(pid_t pid, int *status)
{
    pid_t r;

    do
        r = waitpid(pid, status, 0);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Start the daemon argv (argv[0] a path) and wait until stat(ready) works:
 * its pid, or -1 when it did not get there in timeout_ms (then it is killed). */
static inline pid_t start_server(char *const argv[], const char *ready, unsigned timeout_ms)
{
    struct stat st;
    pid_t pid = fork();

    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    for (unsigned waited = 0; pid > 0 && waited < timeout_ms; waited += SERVER_POLL_MS) {
        if (stat(ready, &st) == 0)
            return pid;
        sleep_ms(SERVER_POLL_MS);
    }
    if (pid > 0) {
        kill(pid, SIGKILL);
        wait_child(pid, NULL);
    }
    return -1;
}

/* "exit 3" or "killed by signal 11 (Segmentation fault)", for diagnostics. */
static inline const char *status_text(int status, char *buf, size_t size)
{
    if (WIFEXITED(status))
        snprintf(buf, size, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(buf, size, "wait status 0x%x", (unsigned)status);
    return buf;
}

static inline bool exited_with(int status, int code)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

static inline bool killed_by(int status, int sig)
{
    return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

/* Catch sig with fn (sa_flags: flags, so no SA_RESTART unless asked). */
static inline void set_handler(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };

    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

#endif
