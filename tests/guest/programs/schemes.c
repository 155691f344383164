/* tests/guest/programs/schemes.c: schemes end to end. Needs an image whose
 * services are echod (echo:) and crashd (crash:, crashing on purpose) under
 * init; runs as init's `run` program. Some checks serve a scheme themselves
 * from a child process to test the kernel's queueing and daemon death. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../../include/anvil/scheme.h"
#include "../../../include/anvil/syscall.h"
#include "tap.h"
#include "util.h"

#define CLIENTS 4
#define WAKE_LIMIT_MS 10000     /* generous: only a missed wake-up takes this long */
#define POLL_LONG_MS 20000      /* a timeout that is never meant to run out */

static long ms_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_echo(void)
{
    char buf[64] = {0};
    struct stat st;
    int fd = open("echo:demo", O_RDWR);

    if (!tap_ok(fd >= 0, "open echo:demo through the user scheme"))
        return;
    tap_is_long(write(fd, "hello", 5), 5, "write 5 bytes to it");
    tap_ok(fstat(fd, &st) == 0 && st.st_size == 5 && S_ISCHR(st.st_mode), "fstat reports what the daemon filled");
    tap_ok(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0, "read echoes it back");
    tap_ok(stat("echo:other", &st) == 0, "stat by path works");
    close(fd);
}

static void test_forms(void)
{
    const char *forms[] = {"initfs:/etc/anvil/services", "initfs:///etc/anvil/services",
                           "/scheme/initfs/etc/anvil/services", "/etc/anvil/services"};
    char first[4096], other[4096];
    bool same = slurp(forms[0], first, sizeof(first)) > 0;

    for (int i = 1; i < 4; i++)
        same = same && slurp(forms[i], other, sizeof(other)) > 0 && strcmp(first, other) == 0;
    tap_ok(same, "name:, name://, /scheme/name/ and plain /paths reach the same file");
    tap_fails_with(open("nosuch:x", O_RDONLY), ENODEV, "an unregistered scheme is ENODEV");
    tap_ok(slurp("sys:uname", other, sizeof(other)) > 0 && strncmp(other, "Anvil", 5) == 0, "sys:uname");
    tap_ok(chdir("sys:") == 0 && slurp("uname", other, sizeof(other)) > 0, "chdir into a scheme; relative paths follow");
    chdir("/");
}

/* A daemon in a child: answers opens at once, collects CLIENTS reads, answers
 * them in reverse order with the handle's number. */
static void ooo_daemon(int fd)
{
    struct anvil_packet reads[CLIENTS], p;
    int got = 0;

    while (got < CLIENTS && read(fd, &p, sizeof(p)) == sizeof(p)) {
        if (p.op == ANVIL_OP_OPEN) {
            p.result = atoi((const char *)(uintptr_t)p.arg[0]);
            write(fd, &p, sizeof(p));
        } else if (p.op == ANVIL_OP_READ) {
            reads[got++] = p;
        } else {
            p.result = 0;
            write(fd, &p, sizeof(p));
        }
    }
    for (int i = got - 1; i >= 0; i--) {
        int n = snprintf((char *)(uintptr_t)reads[i].arg[0], reads[i].arg[1], "%d", (int)reads[i].handle);
        reads[i].result = n;
        write(fd, &reads[i], sizeof(reads[i]));
    }
    for (;;)   /* closes */
        if (read(fd, &p, sizeof(p)) == sizeof(p)) {
            p.result = 0;
            write(fd, &p, sizeof(p));
        }
}

static void test_out_of_order(void)
{
    int fd = open(":t-ooo", O_CREAT | O_RDWR), ok = 0;
    pid_t d, c[CLIENTS];

    if (!tap_ok(fd >= 0, "a process registers a scheme with open(\":name\", O_CREAT)"))
        return;
    tap_fails_with(open(":t-ooo", O_CREAT | O_RDWR), EEXIST, "a taken name is EEXIST");
    if ((d = fork()) == 0)
        ooo_daemon(fd), _exit(0);
    close(fd);
    for (int i = 0; i < CLIENTS; i++) {
        if ((c[i] = fork()) == 0) {
            char path[32], buf[16] = {0};
            snprintf(path, sizeof(path), "t-ooo:%d", i + 1);
            int f = open(path, O_RDONLY);
            _exit(f >= 0 && read(f, buf, sizeof(buf)) > 0 && atoi(buf) == i + 1 ? 0 : 1);
        }
    }
    for (int i = 0; i < CLIENTS; i++) {
        int st;
        waitpid(c[i], &st, 0);
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    tap_is_long(ok, CLIENTS, "4 concurrent clients each get their own reply, answered in reverse order");
    kill(d, SIGKILL);
    waitpid(d, NULL, 0);
}

static void test_daemon_death(void)
{
    int fd = open(":t-dead", O_CREAT | O_RDWR), ok = 0;
    struct anvil_packet p;
    pid_t d, c[CLIENTS];
    long killed_at, late = 0;

    if (fd < 0)
        return (void)tap_ok(false, "register t-dead");
    if ((d = fork()) == 0) {
        for (;;)   /* answers opens, never reads */
            if (read(fd, &p, sizeof(p)) == sizeof(p) && p.op == ANVIL_OP_OPEN) {
                p.result = 1;
                write(fd, &p, sizeof(p));
            }
    }
    close(fd);
    for (int i = 0; i < CLIENTS; i++) {
        if ((c[i] = fork()) == 0) {
            char buf[8];
            int f = open("t-dead:x", O_RDONLY);
            _exit(f >= 0 && read(f, buf, sizeof(buf)) < 0 && errno == ENODEV ? 0 : 1);
        }
    }
    usleep(200 * 1000);   /* every client blocks in read */
    killed_at = ms_now();
    kill(d, SIGKILL);
    waitpid(d, NULL, 0);
    for (int i = 0; i < CLIENTS; i++) {
        int st;
        waitpid(c[i], &st, 0);
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    late = ms_now() - killed_at;
    tap_is_long(ok, CLIENTS, "blocked clients fail with ENODEV when the daemon dies");
    /* Woken by the death itself, not by some timeout; how fast is for bench/. */
    tap_ok(late < WAKE_LIMIT_MS, "promptly (%ld ms)", late);
    tap_fails_with(open("t-dead:x", O_RDONLY), ENODEV, "later opens fail: the name is released");
    fd = open(":t-dead", O_CREAT | O_RDWR);
    tap_ok(fd >= 0, "and can be registered again");
    close(fd);
}

static void test_restart(void)
{
    int pid = scheme_pid("echo"), again = -1, fd;
    char buf[4096];

    if (!tap_ok(pid > 0, "sys:schemes names echod's pid"))
        return;
    kill(pid, SIGKILL);
    for (int i = 0; i < 300 && (again <= 0 || again == pid); i++) {
        usleep(10 * 1000);
        again = scheme_pid("echo");
    }
    tap_ok(again > 0 && again != pid, "init restarts a killed daemon (pid %d -> %d)", pid, again);
    fd = open("echo:after", O_RDWR);
    tap_ok(fd >= 0, "a new open succeeds");
    close(fd);
    tap_ok(slurp("sys:proc", buf, sizeof(buf)) > 0 && strstr(buf, "echod") != NULL, "sys:proc shows the services");
    bool failed = false;
    for (int i = 0; i < 200 && !failed; i++) {
        failed = slurp("init:services", buf, sizeof(buf)) > 0 && strstr(buf, "crashd failed") != NULL;
        if (!failed)
            usleep(100 * 1000);
    }
    tap_ok(failed, "a crash loop hits the restart limit: init:services says crashd failed");
    fd = open("echo:still", O_RDWR);
    tap_ok(fd >= 0, "the rest keeps running");
    close(fd);
}

static void test_namespace(void)
{
    pid_t c = fork();
    int st;

    if (c == 0) {
        bool ok = syscall(ANVIL_SYS_NS_RESTRICT, "sys echo", (size_t)8) == 0;
        ok = ok && open("memory:0x1000", O_RDONLY) < 0 && errno == EACCES;
        ok = ok && open("initfs:/etc/anvil/services", O_RDONLY) < 0 && errno == EACCES;
        ok = ok && syscall(ANVIL_SYS_NS_RESTRICT, "sys echo initfs", (size_t)15) < 0 && errno == EPERM;
        ok = ok && open("sys:uname", O_RDONLY) >= 0;
        _exit(ok ? 0 : 1);
    }
    waitpid(c, &st, 0);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "a child narrows its namespace: memory: and initfs: are EACCES, widening is EPERM");
}

/* poll and select on echo: handles: the kernel asks echod (ANVIL_OP_POLL). */
static void test_poll(void)
{
    int fd = open("echo:poll", O_RDWR), st = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    long t0, took;
    char buf[8] = {0};
    fd_set wr;
    struct timeval zero = {0, 0};
    pid_t c;

    t0 = ms_now();
    int r = poll(&p, 1, 50);
    took = ms_now() - t0;
    tap_ok(fd >= 0 && r == 0 && p.revents == 0 && took >= 40,
           "poll POLLIN on an empty echo: handle times out (%d, %ld ms)", r, took);
    p.events = POLLOUT;
    t0 = ms_now();
    r = poll(&p, 1, POLL_LONG_MS);
    took = ms_now() - t0;
    tap_ok(r == 1 && p.revents == POLLOUT, "POLLOUT is ready without waiting for the timeout (%ld ms)", took);
    if ((c = fork()) == 0) {
        usleep(100 * 1000);
        _exit(write(fd, "x", 1) == 1 ? 0 : 1);
    }
    p.events = POLLIN;
    t0 = ms_now();
    r = poll(&p, 1, POLL_LONG_MS);
    took = ms_now() - t0;
    waitpid(c, &st, 0);
    tap_ok(r == 1 && p.revents == POLLIN && took >= 80 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "a held POLLIN answers when a write arrives 100 ms later (%d, %ld ms)", r, took);
    FD_ZERO(&wr);
    FD_SET(fd, &wr);
    tap_ok(select(fd + 1, NULL, &wr, NULL, &zero) == 1 && FD_ISSET(fd, &wr), "select with a zero timeout sees writable");
    p.events = POLLIN;
    tap_ok(poll(&p, 1, 0) == 1 && p.revents == POLLIN && read(fd, buf, sizeof(buf)) == 1 && buf[0] == 'x',
           "poll(0) sees the data, which reads back intact");
    close(fd);
}

int main(void)
{
    test_echo();
    test_forms();
    test_out_of_order();
    test_daemon_death();
    test_namespace();
    test_restart();
    test_poll();
    return tap_done();
}
