/* bench/programs/schemebench.c: the cost of a request to a user scheme daemon
 * (open+read+close, a 1-byte read, 64 KiB reads) beside a pipe round trip, and
 * how long a crashed daemon takes to be serving again. Prints "name value unit"
 * lines; a measure whose scheme is missing (on the host) is skipped. A measure
 * whose loop fails prints no number, only why, and the exit status is 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BULK_BLOCK (64 * 1024)
#define RESTART_LIMIT_NS 30e9   /* init's backoff is far shorter; a bound, not a measure */

static int failures;   /* measures that could not finish; main's status */

/* A loop that stopped early: say so instead of printing a number. */
static void failed(const char *name, int done, int rounds)
{
    printf("# %s: failed after %d of %d rounds\n", name, done, rounds);
    failures++;
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void open_read_close(int rounds)
{
    char c;
    double t0 = now_ns();

    for (int i = 0; i < rounds; i++) {
        int fd = open("bulk:x", O_RDONLY);
        if (fd < 0 || read(fd, &c, 1) != 1) {
            printf("# bulk: is not there: skipping the scheme measures\n");
            if (fd >= 0)
                close(fd);
            return;
        }
        close(fd);
    }
    printf("scheme_open_read_close_us %.2f us\n", (now_ns() - t0) / rounds / 1e3);
}

static void small_reads(int rounds)
{
    char c;
    int fd = open("bulk:x", O_RDONLY), done = 0;
    double t0 = now_ns();

    if (fd < 0)
        return;
    while (done < rounds && read(fd, &c, 1) == 1)
        done++;
    if (done == rounds)
        printf("scheme_read_1_byte_us %.2f us\n", (now_ns() - t0) / rounds / 1e3);
    else
        failed("scheme_read_1_byte_us", done, rounds);
    close(fd);
}

static void bulk_reads(int rounds)
{
    static char buf[BULK_BLOCK];
    int fd = open("bulk:x", O_RDONLY);
    double t0 = now_ns();
    long total = 0;
    int done = 0;

    if (fd < 0)
        return;
    for (; done < rounds; done++) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        total += n;
    }
    if (done == rounds)
        printf("scheme_read_64k_mib_s %.1f MiB/s\n", total / 1048576.0 / ((now_ns() - t0) / 1e9));
    else
        failed("scheme_read_64k_mib_s", done, rounds);
    close(fd);
}

/* The reference: one byte to a child and back through two pipes. */
static void pipe_round_trip(int rounds)
{
    int there[2], back[2], done = 0;
    char c = 'x';
    double t0;
    pid_t pid;

    if (pipe(there) < 0 || pipe(back) < 0)
        return;
    pid = fork();
    if (pid == 0) {
        close(there[1]);    /* so the parent's close is this read's end of file */
        close(back[0]);
        while (read(there[0], &c, 1) == 1 && write(back[1], &c, 1) == 1)
            ;
        _exit(0);
    }
    close(there[0]);
    close(back[1]);
    t0 = now_ns();
    while (done < rounds && write(there[1], &c, 1) == 1 && read(back[0], &c, 1) == 1)
        done++;
    if (done == rounds)
        printf("pipe_round_trip_us %.2f us\n", (now_ns() - t0) / rounds / 1e3);
    else
        failed("pipe_round_trip_us", done, rounds);
    close(there[1]);
    close(back[0]);
    waitpid(pid, NULL, 0);
}

/* The pid serving a scheme, from sys:schemes lines "NAME user PID". */
static int scheme_pid(const char *name)
{
    char buf[4096], word[64];
    int fd = open("sys:schemes", O_RDONLY), pid;
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        if (sscanf(line, "%63s user %d", word, &pid) == 2 && !strcmp(word, name))
            return pid;
    return -1;
}

/* Kill bulkd and time until bulk: opens again (init restarts it). */
static void restart_latency(void)
{
    int pid = scheme_pid("bulk"), again = -1;
    double t0;

    if (pid <= 0)
        return;
    t0 = now_ns();
    if (kill(pid, SIGKILL) != 0) {
        printf("# restart_to_serving_ms: cannot kill bulkd (pid %d): %s\n", pid, strerror(errno));
        failures++;
        return;
    }
    while ((again <= 0 || again == pid) && now_ns() - t0 < RESTART_LIMIT_NS) {
        int fd = open("bulk:x", O_RDONLY);
        if (fd >= 0) {
            close(fd);
            again = scheme_pid("bulk");
        }
    }
    if (again > 0 && again != pid)
        printf("restart_to_serving_ms %.1f ms\n", (now_ns() - t0) / 1e6);
    else
        failed("restart_to_serving_ms", 0, 1);
}

int main(int argc, char **argv)
{
    int scale = argc > 1 && !strcmp(argv[1], "-s") ? 10 : 1;

    signal(SIGPIPE, SIG_IGN);   /* a peer that died is a failed measure, not our death */
    printf("schemebench: start\n");
    fflush(stdout);
    pipe_round_trip(20000 / scale);
    open_read_close(2000 / scale);
    small_reads(20000 / scale);
    bulk_reads(2000 / scale);
    restart_latency();
    printf(failures ? "schemebench: done (with failures)\n" : "schemebench: done\n");
    return failures ? 1 : 0;
}
