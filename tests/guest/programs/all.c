/* tests/guest/programs/all.c: runs every guest test program found next to itself, one at a
 * time, and prints one TAP line per program with the program's own output as "# " lines.
 * Usage: all [-q] [-t SECONDS] [NAME...]; -q shows output only for programs that fail.
 * Last, a leak check: in Anvil, the kernel's free memory is back where it was. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdlib.h>

#include "tap.h"
#include "util.h"

#define DEFAULT_TIMEOUT_S 120        /* per program; guests run under slow emulation */
#define POLL_SLICE_MS 100
#define REAP_POLL_MS 10
#define LINE_MAX_BYTES 1024
#define SAVED_MAX_BYTES (256u << 10) /* -q keeps at most this much of a program's output */
#define EXEC_FAILED_EXIT 127
#define LEAK_SLACK_KB 128            /* kernel caches may grow once (~64 kB seen) */

/* A fixed list, so the runner needs no directory listing from the kernel. */
static const char *const programs[] = {
    "stdio", "malloc", "threads", "fork_exec", "spawn", "pipe",
    "signals", "preempt", "sleep", "efault", "enosys", "fuzz", "procfs", "jobctl", "tty", "pty", "userend",
    "locks", "rlimits", "posixshm", "futexes", "sysvipc", "sockets",
    "protnone", "randomness", "leaks", "exhaust", "futexfork", "manyrefs", "vforkreap", "sendfile",
};

struct options {
    bool quiet;
    int timeout_s;
    char **names;       /* programs to run; none named means all */
    int names_len;
};

/* What one program printed and how it ended. */
struct run {
    bool quiet;
    char line[LINE_MAX_BYTES];
    size_t line_len;
    char *saved;        /* -q: output kept until we know whether it failed */
    size_t saved_len;
    int oks, not_oks, plan;
    int status;
    bool exited, timed_out;
};

static void save_text(struct run *run, const char *text, size_t n)
{
    char *bigger;

    if (run->saved_len + n > SAVED_MAX_BYTES)
        return;
    bigger = realloc(run->saved, run->saved_len + n + 1);
    if (!bigger)
        return;
    run->saved = bigger;
    memcpy(run->saved + run->saved_len, text, n);
    run->saved_len += n;
    run->saved[run->saved_len] = '\0';
}

/* Count the program's TAP results, then show or keep the line as a comment. */
static void take_line(struct run *run)
{
    const char *s = run->line;
    char out[LINE_MAX_BYTES + 8];
    int n;

    run->line[run->line_len] = '\0';
    if (strncmp(s, "ok ", 3) == 0 || strcmp(s, "ok") == 0)
        run->oks++;
    else if (strncmp(s, "not ok", 6) == 0)
        run->not_oks++;
    else if (strncmp(s, "1..", 3) == 0)
        run->plan = atoi(s + 3);
    n = snprintf(out, sizeof out, "# %s\n", s);
    if (run->quiet)
        save_text(run, out, (size_t)n);
    else
        fputs(out, stdout);
    run->line_len = 0;
}

static void take_bytes(struct run *run, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n' || run->line_len == LINE_MAX_BYTES - 1)
            take_line(run);
        if (buf[i] != '\n')
            run->line[run->line_len++] = buf[i];
    }
    fflush(stdout);
}

static void reap_if_exited(pid_t pid, struct run *run)
{
    if (!run->exited && waitpid(pid, &run->status, WNOHANG) == pid)
        run->exited = true;
}

/* Read until EOF, or until the program has exited and its pipe is quiet (a descendant
 * may still hold it open), or until the deadline. */
static void collect_output(int fd, pid_t pid, struct run *run, uint64_t deadline)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    char buf[4096];

    while (mono_ns() < deadline) {
        int ready = poll(&p, 1, POLL_SLICE_MS);
        if (ready < 0 && errno == ENOSYS)
            ready = 1;   /* a kernel without poll: block in read, with no timeout */
        if (ready > 0) {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n > 0) {
                take_bytes(run, buf, (size_t)n);
                continue;
            }
            if (n == 0 || errno != EINTR)
                return;
        }
        /* quiet after it had exited: done. (Checked in this order, so output written
         * between the poll and the reap is still read.) */
        bool had_exited = run->exited;
        reap_if_exited(pid, run);
        if (ready == 0 && had_exited)
            return;
    }
}

static void wait_until(pid_t pid, struct run *run, uint64_t deadline)
{
    while (!run->exited && mono_ns() < deadline) {
        reap_if_exited(pid, run);
        if (!run->exited)
            sleep_ms(REAP_POLL_MS);
    }
    if (!run->exited) {
        run->timed_out = true;
        kill(-pid, SIGKILL);   /* its whole group, so no descendant lingers */
        kill(pid, SIGKILL);
        wait_child(pid, &run->status);
        run->exited = true;
    }
}

static pid_t start_program(const char *path, int out_fd, int other_fd)
{
    extern char **environ;
    char *const args[] = { (char *)path, NULL };
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);          /* a group of its own, to kill as one on timeout */
        dup2(out_fd, 1);
        dup2(out_fd, 2);
        close(out_fd);
        close(other_fd);
        execve(path, args, environ);
        printf("cannot run %s: %s\n", path, strerror(errno));
        fflush(stdout);
        _exit(EXEC_FAILED_EXIT);
    }
    return pid;
}

/* Why a program failed, or "" when it passed. */
static void failure_reason(const struct run *run, int timeout_s, char *buf, size_t size)
{
    char text[64];

    buf[0] = '\0';
    if (run->timed_out)
        snprintf(buf, size, " (timed out after %d s)", timeout_s);
    else if (!exited_with(run->status, 0))
        snprintf(buf, size, " (%s)", status_text(run->status, text, sizeof text));
    else if (run->plan < 0)
        snprintf(buf, size, " (no plan line)");
    else if (run->plan != run->oks + run->not_oks)
        snprintf(buf, size, " (plan 1..%d, but %d results)", run->plan, run->oks + run->not_oks);
    else if (run->not_oks > 0)
        snprintf(buf, size, " (%d of %d checks failed)", run->not_oks, run->plan);
}

static bool run_program(const char *dir, const char *name, const struct options *opt)
{
    struct run run = { .quiet = opt->quiet, .plan = -1 };
    char path[1024], reason[96];
    uint64_t start = mono_ns(), deadline = start + (uint64_t)opt->timeout_s * NS_PER_SEC;
    int fds[2];
    pid_t pid;

    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return tap_ok(false, "%s (path too long)", name);
    if (pipe(fds) != 0 || (pid = start_program(path, fds[1], fds[0])) < 0)
        return tap_ok(false, "%s (cannot start: %s)", name, strerror(errno));
    close(fds[1]);
    collect_output(fds[0], pid, &run, deadline);
    close(fds[0]);
    wait_until(pid, &run, deadline);
    if (run.line_len > 0)
        take_line(&run);   /* output that did not end in a newline */
    failure_reason(&run, opt->timeout_s, reason, sizeof reason);
    if (reason[0] && run.saved)
        fputs(run.saved, stdout);
    free(run.saved);
    tap_diag("%s took %.2f s", name, (double)(mono_ns() - start) / NS_PER_SEC);
    return tap_ok(reason[0] == '\0', "%s%s", name, reason);
}

static bool selected(const char *name, const struct options *opt)
{
    if (opt->names_len == 0)
        return true;
    for (int i = 0; i < opt->names_len; i++)
        if (strcmp(opt->names[i], name) == 0)
            return true;
    return false;
}

static bool parse_options(int argc, char **argv, struct options *opt)
{
    int i = 1;

    *opt = (struct options){ .timeout_s = DEFAULT_TIMEOUT_S };
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-q") == 0)
            opt->quiet = true;
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0)
            opt->timeout_s = atoi(argv[++i]);
        else
            return false;
    }
    opt->names = argv + i;
    opt->names_len = argc - i;
    return true;
}

/* The directory this program was started from: argv[0] up to its last '/'. */
static void own_directory(const char *argv0, char *dir, size_t size)
{
    const char *slash = strrchr(argv0, '/');

    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == argv0)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - argv0), argv0);
}

/* The leak check: every program has exited, so their memory must be free again. */
static void check_leaks(long before_kb)
{
    long after_kb = meminfo_free_kb();

    if (!running_in_anvil()) {
        tap_skip("no memory lost over the run", "the host's free memory moves on its own");
        return;
    }
    if (!tap_ok(before_kb > 0 && after_kb >= before_kb - LEAK_SLACK_KB,
                "no memory lost over the run (free before %ld kB, after %ld kB)", before_kb,
                after_kb))
        tap_diag("sys:meminfo MemFree went down by %ld kB", before_kb - after_kb);
}

int main(int argc, char **argv)
{
    struct options opt;
    char dir[1024];
    size_t count = sizeof programs / sizeof programs[0];
    long free_before_kb = meminfo_free_kb();

    if (!parse_options(argc, argv, &opt)) {
        fprintf(stderr, "usage: %s [-q] [-t SECONDS] [NAME...]\n", argv[0]);
        return 2;
    }
    own_directory(argv[0], dir, sizeof dir);
    for (size_t i = 0; i < count; i++)
        if (selected(programs[i], &opt))
            run_program(dir, programs[i], &opt);
    for (int i = 0; i < opt.names_len; i++) {
        bool known = false;
        for (size_t k = 0; k < count; k++)
            known = known || strcmp(opt.names[i], programs[k]) == 0;
        if (!known)
            tap_ok(false, "%s (not a test program)", opt.names[i]);
    }
    check_leaks(free_before_kb);
    return tap_done();
}
