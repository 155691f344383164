/* tests/guest/programs/privilege.c: what a program under init may not do
 * (docs/security.md). Run as (part of) init's run program, which holds only
 * the [init] grants: RAM, device memory, IRQ lines and ports outside them are
 * refused, reboot(2) is EPERM, kill(1, SIGKILL) does nothing; I/O ports go on
 * exec and on narrowing; /dev/console and exec follow the namespace. Then,
 * in a child holding no grant at all (an ordinary program): services are not
 * its to signal, and a service's scheme name cannot be taken, not even while
 * init restarts that service. Anvil only; needs init (PID 1), ramfsd and logd,
 * and the services variant's [init] grants (the RTC's ports, and a page of
 * RAM at 0x100000 that memory: must refuse although it is granted). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../include/anvil/syscall.h"
#include "tap.h"
#include "util.h"

#define SELF "/bin/tests/privilege"
#define CMOS_DATA 0x71             /* granted to the services variant's run program */
#define REBOOT_STATUS 77           /* what the machine would power off with */
#define SETTLE_MS 100
#define WAIT_STEP_MS 20
#define WAIT_STEPS 250             /* 5 s for a service to stop or start */
#define EXEC_TOUCH "--touch-port"  /* argv[1]: exit 0 if the port still works */
#define EXEC_EXIT "--exit"         /* argv[1]: exit 0 at once */

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* Run fn in a child: its wait status. */
static int in_child(int (*fn)(void))
{
    int st = 0;
    pid_t c = fork();

    if (c == 0)
        _exit(fn());
    waitpid(c, &st, 0);
    return st;
}

static bool refused(const char *path)
{
    int fd = open(path, O_RDWR);

    if (fd >= 0) {
        close(fd);
        return false;
    }
    return errno == EACCES || errno == EPERM;
}

static bool wait_served(const char *name, bool served)
{
    for (int i = 0; i < WAIT_STEPS; i++) {
        if ((scheme_pid(name) > 0) == served)
            return true;
        sleep_ms(WAIT_STEP_MS);
    }
    return false;
}

static bool init_alive(void)
{
    char buf[1024];

    sleep_ms(SETTLE_MS);
    return kill(1, 0) == 0 && slurp("init:services", buf, sizeof(buf)) > 0;
}

static bool control(const char *command)
{
    int fd = open("init:control", O_WRONLY);
    bool ok = fd >= 0 && write(fd, command, strlen(command)) == (ssize_t)strlen(command);

    if (fd >= 0)
        close(fd);
    return ok;
}

static void test_grants(void)
{
    tap_fails_with(open("memory:0x100000/4096", O_RDWR), EPERM,
                   "memory: over RAM (the kernel's image) is EPERM, granted or not");
    tap_ok(refused("memory:0x0-0xffffffff"), "memory: over the first 4 GiB is refused");
    tap_ok(refused("memory:0xfec00000/4096"), "memory: over device memory not granted is refused");
    tap_ok(refused("irq:3"), "irq: of a line not granted is refused");
    tap_ok(refused("ioport:0-0xffff"), "ioport:0-0xffff is refused");
    tap_ok(refused("ioport:0x60"), "ioport: of a port not granted is refused");
    tap_fails_with(open("debug:input", O_WRONLY), EACCES,
                   "debug:input (typing into the console) without the console-input grant is EACCES");
    tap_fails_with(open("debug:output", O_RDONLY), EACCES,
                   "debug:output (reading the screen's bytes) without the console-output grant is EACCES");
    tap_fails_with(syscall(SYS_reboot, ANVIL_REBOOT_MAGIC1, ANVIL_REBOOT_MAGIC2,
                           ANVIL_REBOOT_POWER_OFF, REBOOT_STATUS),
                   EPERM, "reboot(2) without the power grant is EPERM");
}

static void test_init_signals(void)
{
    tap_ok(kill(1, SIGKILL) == 0 || errno == EPERM, "kill(1, SIGKILL) is no error");
    tap_ok(init_alive(), "init is still there and answering");
    tap_ok(kill(1, SIGSTOP) == 0 || errno == EPERM, "kill(1, SIGSTOP) is no error");
    tap_ok(init_alive(), "init is not stopped");
}

/* A port opened, then the grant dropped: the port must fault now. */
static int port_after_narrowing(void)
{
    if (open("ioport:0x70-0x71", O_RDWR) < 0)
        return 2;
    (void)inb(CMOS_DATA);
    if (syscall(ANVIL_SYS_GRANT_RESTRICT, NULL, (size_t)0) < 0)
        return 3;
    (void)inb(CMOS_DATA);
    return 0;
}

static int port_after_exec(void)
{
    if (open("ioport:0x70-0x71", O_RDWR) < 0)
        return 2;
    execl(SELF, SELF, EXEC_TOUCH, (char *)NULL);
    return 3;
}

static void test_ports(void)
{
    int st = in_child(port_after_narrowing);

    tap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
           "an open port faults once grant_restrict drops its grant");
    st = in_child(port_after_exec);
    tap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "open ports are closed by exec");
}

static int console_without_debug(void)
{
    const char ns[] = "file initfs init sys";

    if (syscall(ANVIL_SYS_NS_RESTRICT, ns, sizeof(ns) - 1) < 0)
        return 2;
    if (open("/dev/console", O_WRONLY) >= 0 || errno != EACCES)
        return 3;
    return open("/dev/tty", O_RDWR) >= 0 || errno != EACCES ? 4 : 0;
}

static int exec_with(const char *ns)
{
    if (syscall(ANVIL_SYS_NS_RESTRICT, ns, strlen(ns)) < 0)
        return 2;
    execl(SELF, SELF, EXEC_EXIT, (char *)NULL);
    return errno == EACCES ? 10 : 11;
}

static int exec_without_root(void)
{
    return exec_with("debug");
}

static int exec_from_initfs(void)
{
    return exec_with("debug initfs");
}

static void test_namespace(void)
{
    int st = in_child(console_without_debug);

    tap_ok(exited_with(st, 0), "/dev/console and /dev/tty need debug and tty in the namespace");
    st = in_child(exec_without_root);
    tap_ok(exited_with(st, 10), "exec of a /path without file or initfs in the namespace is EACCES");
    st = in_child(exec_from_initfs);
    tap_ok(exited_with(st, 0), "exec of a /path with initfs in the namespace runs it");
}

/* Try to take name; true if refused (EACCES or EEXIST). */
static bool name_refused(const char *name)
{
    char path[64];
    int fd;

    snprintf(path, sizeof(path), ":%s", name);
    fd = open(path, O_CREAT | O_RDWR, 0600);
    if (fd >= 0) {
        close(fd);
        return false;
    }
    return errno == EACCES || errno == EEXIST;
}

/* The ordinary program: no grant at all. Its own checks, as TAP lines. */
static int ordinary(void)
{
    int ramfsd = scheme_pid("file"), logd = scheme_pid("log"), fd;

    if (syscall(ANVIL_SYS_GRANT_RESTRICT, NULL, (size_t)0) < 0)
        return 2;
    tap_ok(ramfsd > 0 && logd > 0, "sys:schemes names ramfsd (%d) and logd (%d)", ramfsd, logd);
    tap_fails_with(kill(ramfsd, 0), EPERM, "kill(ramfsd, 0) is EPERM: not its child nor session");
    tap_fails_with(kill(logd, SIGKILL), EPERM, "kill(logd, SIGKILL) is EPERM");
    tap_ok(scheme_pid("log") == logd, "logd is still serving");
    tap_ok(kill(1, SIGKILL) == 0 || errno == EPERM, "kill(1, SIGKILL) is no error");
    tap_ok(init_alive(), "init is still there");
    tap_ok(refused("memory:0xb8000/4096"), "memory: with no grant is refused");
    tap_ok(refused("ioport:0x70-0x71"), "ioport: with no grant is refused");
    tap_ok(name_refused("file"), "registering :file (ramfsd's) is refused");
    tap_ok(control("stop logd") && wait_served("log", false), "init stops logd");
    tap_ok(name_refused("log"), "registering :log while logd is down is refused");
    tap_ok(control("start logd") && wait_served("log", true), "init starts logd again");
    fd = open(":privtest", O_CREAT | O_RDWR, 0600);
    tap_ok(fd >= 0, "a name no service provides can still be registered");
    close(fd);
    return tap_failed ? 1 : 0;
}

/* Run ordinary() in a child; its TAP lines count as ours (the child sends
 * its counts back through a pipe). */
static bool ordinary_child(int *st)
{
    int fds[2], counts[2] = {0, 0};
    pid_t c;

    if (pipe(fds) < 0 || (c = fork()) < 0)
        return false;
    if (c == 0) {
        int code = ordinary();
        counts[0] = tap_count;
        counts[1] = tap_failed;
        write_full(fds[1], counts, sizeof(counts));
        _exit(code);
    }
    close(fds[1]);
    bool got = read_full(fds[0], counts, sizeof(counts)) == sizeof(counts);
    close(fds[0]);
    waitpid(c, st, 0);
    if (got) {
        tap_count = counts[0];
        tap_failed = counts[1];
    }
    return got;
}

int main(int argc, char **argv)
{
    int st;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], EXEC_TOUCH) == 0) {
        (void)inb(CMOS_DATA);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], EXEC_EXIT) == 0)
        return 0;
    if (getpid() == 1) {
        printf("1..0 # SKIP needs init as PID 1\n");
        return 0;
    }
    test_grants();
    test_init_signals();
    test_ports();
    test_namespace();
    tap_ok(ordinary_child(&st), "the ordinary program ran");
    tap_ok(exited_with(st, 0), "the ordinary program's checks pass");
    return tap_done();
}
