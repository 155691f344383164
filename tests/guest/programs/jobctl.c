/* tests/guest/programs/jobctl.c: job control as POSIX and Linux define it: process groups
 * and sessions (setpgid, setsid and their errors), kill of groups, stopping and continuing
 * children with the wait4/waitpid/waitid reports and SIGCHLD codes, orphaned groups, and
 * EFAULT before blocking for read/write with buffers outside user space. */
#define _GNU_SOURCE
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "tap.h"
#include "util.h"

#define KERNEL_HALF ((void *)0xffff800000000000ull)
#define USER_END 0x7ffffffff000ull      /* Linux TASK_SIZE_MAX on x86_64 */
#define NO_SUCH_PID 0x3ffffff0
#define STOPPED_WORD(sig) (0x7f | (sig) << 8)
#define CONTINUED_WORD 0xffff
#define SAFETY_ALARM_S 5
#define WAIT_MS 5000
#define QUIET_MS 200

/* What the SIGCHLD handler saw (async-signal-safe: plain stores). */
static volatile sig_atomic_t chld_count, chld_code, chld_status, chld_pid;
static volatile sig_atomic_t cont_seen;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    chld_count++;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid = si->si_pid;
}

static void on_alarm(int sig)
{
    (void)sig;
}

static void watch_sigchld(int extra_flags)
{
    struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | SA_RESTART | extra_flags };

    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    chld_count = chld_code = chld_status = chld_pid = 0;
}

/* A child that waits for signals until killed; in a group of its own when own_group. */
static pid_t sleeper(bool own_group)
{
    pid_t pid = fork();

    if (pid == 0) {
        if (own_group)
            setpgid(0, 0);
        for (;;)
            pause();
    }
    if (pid > 0 && own_group)
        setpgid(pid, pid);   /* both sides, so neither order races */
    return pid;
}

static void end_child(pid_t pid)
{
    int st;

    kill(pid, SIGKILL);
    kill(pid, SIGCONT);
    wait_child(pid, &st);
}

/* Until cond holds or WAIT_MS pass (for signals to another process to land). */
static bool eventually(volatile sig_atomic_t *v, int want)
{
    for (int ms = 0; ms < WAIT_MS && *v < want; ms += 10)
        sleep_ms(10);
    return *v >= want;
}

static int child_status(pid_t pid)
{
    int st = -1;

    wait_child(pid, &st);
    return st;
}

/* Run fn in a child; its exit code (0: all its checks held) or 100 + signal. */
static int in_child(int (*fn)(void))
{
    pid_t pid = fork();
    int st;

    if (pid == 0)
        _exit(fn());
    st = child_status(pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static int setsid_rules(void)
{
    pid_t me = getpid();

    if (setsid() != me || getsid(0) != me || getpgrp() != me)
        return 1;
    if (setsid() != -1 || errno != EPERM)
        return 2;   /* a session leader is a group leader */
    if (setpgid(0, 0) != -1 || errno != EPERM)
        return 3;   /* a session leader cannot move */
    return 0;
}

static int setsid_of_group_leader(void)
{
    if (setpgid(0, 0) != 0)
        return 1;
    return setsid() == -1 && errno == EPERM ? 0 : 2;
}

static void test_ids(void)
{
    tap_is_long(getpgid(0), getpgrp(), "getpgid(0) is getpgrp()");
    tap_ok(getsid(0) == getsid(getpid()) && getsid(0) >= 0, "getsid(0) is getsid(getpid())");
    errno = 0;
    tap_fails_with(getpgid(NO_SUCH_PID), ESRCH, "getpgid of no process: ESRCH");
    tap_fails_with(getsid(NO_SUCH_PID), ESRCH, "getsid of no process: ESRCH");
    tap_fails_with(setpgid(0, -1), EINVAL, "setpgid(0, -1): EINVAL");
    tap_fails_with(setpgid(NO_SUCH_PID, 0), ESRCH, "setpgid of no process: ESRCH");
    if (getppid() > 0)
        tap_fails_with(setpgid(getppid(), 0), ESRCH, "setpgid of our parent (not a child): ESRCH");
    else
        tap_skip("setpgid of our parent (not a child): ESRCH", "no parent");
    tap_is_long(in_child(setsid_rules), 0,
                "setsid in a child: new session and group; then setsid and setpgid are EPERM");
    tap_is_long(in_child(setsid_of_group_leader), 0, "setsid by a group leader: EPERM");
}

static void test_setpgid(void)
{
    pid_t c = sleeper(false);

    tap_ok(setpgid(c, c) == 0 && getpgid(c) == c, "setpgid(child, child): a new group");
    tap_ok(setpgid(c, getpgrp()) == 0 && getpgid(c) == getpgrp(), "and back into ours");
    tap_fails_with(setpgid(c, NO_SUCH_PID), EPERM, "setpgid into a group that does not exist: EPERM");
    end_child(c);
}

/* A child that has exec'd: its pipe end closes on exec, so EOF means the exec happened. */
static void test_setpgid_after_exec(const char *self)
{
    int fds[2];
    char c;
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) != 0) {
        tap_ok(false, "pipe for the exec test");
        return;
    }
    pid = fork();
    if (pid == 0) {
        execl(self, self, "--pause", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    read(fds[0], &c, 1);
    close(fds[0]);
    tap_fails_with(setpgid(pid, pid), EACCES, "setpgid of a child after its exec: EACCES");
    end_child(pid);
}

/* A child in its own session: its group is not in ours. */
static void test_setpgid_other_session(void)
{
    int fds[2];
    char c;
    pid_t pid;

    if (pipe(fds) != 0)
        return;
    pid = fork();
    if (pid == 0) {
        setsid();
        write(fds[1], "s", 1);
        for (;;)
            pause();
    }
    read(fds[0], &c, 1);
    tap_fails_with(setpgid(pid, pid), EPERM, "setpgid of a child in another session: EPERM");
    tap_fails_with(setpgid(0, pid), EPERM, "setpgid into another session's group: EPERM");
    tap_is_long(getsid(pid), pid, "getsid of that child is its pid");
    close(fds[0]);
    close(fds[1]);
    end_child(pid);
}

static void test_kill_group(void)
{
    pid_t a = sleeper(true), b = fork();
    int sa, sb;

    if (b == 0) {
        setpgid(0, a);
        for (;;)
            pause();
    }
    setpgid(b, a);
    tap_ok(getpgid(b) == a, "a second child joins the first one's group");
    tap_ok(kill(-a, SIGTERM) == 0, "kill(-pgid, SIGTERM)");
    sa = child_status(a);
    sb = child_status(b);
    tap_ok(killed_by(sa, SIGTERM) && killed_by(sb, SIGTERM), "kills every member of the group");
    tap_fails_with(kill(-a, 0), ESRCH, "kill(-pgid, 0) of a group with no members: ESRCH");
    tap_fails_with(kill(INT_MIN, 0), ESRCH, "kill(INT_MIN, 0): ESRCH");
    a = sleeper(false);
    tap_ok(kill(-1, 0) == 0, "kill(-1, 0) finds processes");
    end_child(a);
}

static volatile sig_atomic_t usr1_count;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_count++;
}

/* kill(0, sig) reaches the caller and the rest of its group. */
static int kill_own_group(void)
{
    int fds[2], st;
    char c;
    pid_t gc;

    if (setpgid(0, 0) != 0 || pipe(fds) != 0)
        return 4;
    set_handler(SIGUSR1, on_usr1, 0);
    gc = fork();
    if (gc == 0) {
        signal(SIGUSR1, SIG_DFL);
        write(fds[1], "r", 1);
        for (;;)
            pause();
    }
    read(fds[0], &c, 1);   /* its SIGUSR1 is back to the default */
    if (kill(0, SIGUSR1) != 0)
        return 1;
    st = child_status(gc);
    if (!killed_by(st, SIGUSR1))
        return 2;
    return usr1_count == 1 ? 0 : 3;
}

static void test_kill_zero_and_zombie(void)
{
    siginfo_t si;
    pid_t z;

    tap_is_long(in_child(kill_own_group), 0, "kill(0, SIGUSR1) reaches the caller and its group");
    z = fork();
    if (z == 0)
        _exit(0);
    waitid(P_PID, (id_t)z, &si, WEXITED | WNOWAIT);
    tap_ok(kill(z, 0) == 0, "kill(zombie, 0) succeeds");
    child_status(z);
}

static void test_stop_continue(void)
{
    pid_t c = sleeper(true);
    int st = 0;

    watch_sigchld(0);
    kill(c, SIGSTOP);
    tap_is_long(waitpid(c, &st, WUNTRACED), c, "waitpid(WUNTRACED) reports the stopped child");
    tap_is_long(st, STOPPED_WORD(SIGSTOP), "status 0x7f | SIGSTOP << 8 (WIFSTOPPED)");
    tap_ok(eventually(&chld_count, 1) && chld_code == CLD_STOPPED && chld_status == SIGSTOP &&
           chld_pid == c, "SIGCHLD with CLD_STOPPED and si_status SIGSTOP");
    tap_is_long(waitpid(c, &st, WNOHANG | WUNTRACED), 0, "the stop is reported once");
    kill(c, SIGCONT);
    tap_is_long(waitpid(c, &st, WCONTINUED), c, "waitpid(WCONTINUED) reports it continued");
    tap_is_long(st, CONTINUED_WORD, "status 0xffff (WIFCONTINUED)");
    tap_ok(eventually(&chld_count, 2) && chld_code == CLD_CONTINUED && chld_status == SIGCONT,
           "SIGCHLD with CLD_CONTINUED");
    tap_is_long(waitpid(c, &st, WNOHANG | WCONTINUED), 0, "the continue is reported once");
    kill(c, SIGTSTP);
    tap_ok(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP,
           "SIGTSTP's default action stops");
    kill(c, SIGKILL);
    tap_ok(waitpid(c, &st, 0) == c && killed_by(st, SIGKILL), "SIGKILL kills a stopped child");
    signal(SIGCHLD, SIG_DFL);
}

static void test_waitid(void)
{
    pid_t c = sleeper(true);
    siginfo_t si;

    kill(c, SIGTSTP);
    memset(&si, 0, sizeof si);
    tap_ok(waitid(P_PID, (id_t)c, &si, WSTOPPED | WNOWAIT) == 0 && si.si_pid == c &&
           si.si_code == CLD_STOPPED && si.si_status == SIGTSTP && si.si_signo == SIGCHLD,
           "waitid(WSTOPPED|WNOWAIT): CLD_STOPPED, si_status SIGTSTP");
    memset(&si, 0, sizeof si);
    tap_ok(waitid(P_PGID, (id_t)c, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == c,
           "WNOWAIT left it: P_PGID with WSTOPPED reports it again");
    memset(&si, 0, sizeof si);
    tap_ok(waitid(P_PID, (id_t)c, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == 0,
           "then it is consumed (si_pid 0 with WNOHANG)");
    kill(c, SIGCONT);
    memset(&si, 0, sizeof si);
    tap_ok(waitid(P_ALL, 0, &si, WCONTINUED) == 0 && si.si_pid == c &&
           si.si_code == CLD_CONTINUED && si.si_status == SIGCONT,
           "waitid(P_ALL, WCONTINUED): CLD_CONTINUED");
    tap_fails_with(waitid(P_ALL, 0, &si, WNOHANG), EINVAL, "waitid without WEXITED/WSTOPPED/WCONTINUED: EINVAL");
    tap_fails_with(waitid(P_PID, 0, &si, WEXITED), EINVAL, "waitid(P_PID, 0): EINVAL");
    end_child(c);
}

static void test_wait_selectors(void)
{
    pid_t g = sleeper(true), mine;
    int st;

    tap_fails_with(syscall(SYS_wait4, -1, &st, WNOWAIT, NULL), EINVAL, "wait4 with WNOWAIT: EINVAL");
    tap_is_long(wait4(-1, &st, WNOHANG | WUNTRACED | WCONTINUED, NULL), 0,
                "wait4(-1, WNOHANG|WUNTRACED|WCONTINUED) with a running child: 0 (mksh)");
    kill(g, SIGSTOP);
    tap_is_long(waitpid(-g, &st, WUNTRACED), g, "waitpid(-pgid, WUNTRACED) finds the group's child");
    mine = fork();
    if (mine == 0)
        _exit(7);
    tap_ok(waitpid(0, &st, 0) == mine && exited_with(st, 7), "waitpid(0) waits for our own group");
    end_child(g);
    tap_fails_with(waitpid(-g, &st, WNOHANG), ECHILD, "waitpid(-pgid) with no such child: ECHILD");
    tap_fails_with(wait4(-1, &st, WNOHANG | WUNTRACED | WCONTINUED, NULL), ECHILD,
                   "wait4(-1, ...) with no children: ECHILD");
}

static void test_nocldstop(void)
{
    pid_t c = sleeper(true);
    int st;

    watch_sigchld(SA_NOCLDSTOP);
    kill(c, SIGSTOP);
    waitpid(c, &st, WUNTRACED);
    kill(c, SIGCONT);
    waitpid(c, &st, WCONTINUED);
    sleep_ms(QUIET_MS);
    tap_is_long(chld_count, 0, "SA_NOCLDSTOP: no SIGCHLD for a stop or a continue");
    kill(c, SIGKILL);
    tap_ok(eventually(&chld_count, 1) && chld_code == CLD_KILLED && chld_status == SIGKILL,
           "but one for its death (CLD_KILLED)");
    child_status(c);
    signal(SIGCHLD, SIG_DFL);
}

static void on_cont(int sig)
{
    (void)sig;
    cont_seen = 1;
}

/* A read interrupted by a stop goes on after SIGCONT (no handler ran for it);
 * SIGCONT's own handler runs. */
static void test_read_across_stop(void)
{
    int to_child[2], from_child[2], st;
    char c = 0;
    pid_t pid;

    if (pipe(to_child) != 0 || pipe(from_child) != 0)
        return;
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        set_handler(SIGCONT, on_cont, SA_RESTART);
        write(from_child[1], "r", 1);
        ssize_t n = read(to_child[0], &c, 1);
        write(from_child[1], cont_seen ? "c" : "n", 1);
        _exit(n == 1 && c == 'x' ? 0 : n < 0 ? 10 + errno % 100 : 2);
    }
    setpgid(pid, pid);
    read(from_child[0], &c, 1);
    sleep_ms(50);   /* let it block in read */
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    kill(pid, SIGCONT);
    write(to_child[1], "x", 1);
    c = 0;
    read(from_child[0], &c, 1);
    tap_ok(c == 'c', "SIGCONT's handler runs when it continues");
    st = child_status(pid);
    tap_ok(exited_with(st, 0), "a read stopped and continued still gets its data");
    if (!exited_with(st, 0))
        tap_diag("child status 0x%x", (unsigned)st);
    close(to_child[0]), close(to_child[1]), close(from_child[0]), close(from_child[1]);
}

/* A sleep stopped and continued sleeps on for the time it had left (no EINTR). */
static void test_sleep_across_stop(void)
{
    uint64_t t0 = mono_ns();
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        struct timespec ts = { 0, 300 * 1000000L };
        _exit(nanosleep(&ts, &ts) == 0 ? 0 : 1);
    }
    sleep_ms(50);
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    sleep_ms(50);
    kill(pid, SIGCONT);
    st = child_status(pid);
    tap_ok(exited_with(st, 0) && mono_ns() - t0 >= 300 * NS_PER_MS,
           "nanosleep across a stop and continue: no EINTR, the whole time slept");
}

static volatile unsigned long *spin_count;

static void *spinner(void *arg)
{
    (void)arg;
    for (;;)
        (*spin_count)++;
    return NULL;
}

/* Until the count moves (true) or WAIT_MS pass. */
static bool count_moves(void)
{
    unsigned long before = *spin_count;

    for (int ms = 0; ms < WAIT_MS; ms += 10) {
        sleep_ms(10);
        if (*spin_count != before)
            return true;
    }
    return false;
}

/* A stop stops every thread: a second thread that only counts stands still. */
static void test_threads_stop(void)
{
    pthread_t t;
    unsigned long at_stop;
    pid_t pid;
    int st;

    spin_count = mmap(NULL, sizeof *spin_count, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (spin_count == MAP_FAILED) {
        tap_ok(false, "shared counter for the thread test");
        return;
    }
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        pthread_create(&t, NULL, spinner, NULL);
        for (;;)
            pause();
    }
    setpgid(pid, pid);
    tap_ok(count_moves(), "a child's second thread counts");
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    at_stop = *spin_count;
    sleep_ms(QUIET_MS);
    tap_ok(WIFSTOPPED(st) && *spin_count == at_stop, "SIGSTOP stops that thread too");
    kill(pid, SIGCONT);
    tap_ok(count_moves(), "SIGCONT starts it again");
    end_child(pid);
    munmap((void *)spin_count, sizeof *spin_count);
}

static int hup_fd = -1;

static void on_hup(int sig)
{
    (void)sig;
    write(hup_fd, "h", 1);
    _exit(0);
}

/* Session leader A (whose own group is orphaned: its parent is in another session) drops
 * SIGTSTP; its child G stops in a group of its own; A's exit orphans G's group, which
 * gets SIGHUP and SIGCONT. */
static int orphan_session(void)
{
    pid_t g;
    int st;

    if (setsid() < 0)
        return 1;
    kill(getpid(), SIGTSTP);   /* an orphaned group: discarded, we go on */
    g = fork();
    if (g == 0) {
        setpgid(0, 0);
        set_handler(SIGHUP, on_hup, 0);
        raise(SIGSTOP);
        _exit(3);
    }
    setpgid(g, g);
    if (waitpid(g, &st, WUNTRACED) != g || !WIFSTOPPED(st))
        return 2;
    return 0;
}

static void test_orphaned_group(void)
{
    int fds[2];
    char c = 0;
    struct pollfd p;
    pid_t a;
    int st;

    if (pipe(fds) != 0)
        return;
    hup_fd = fds[1];
    a = fork();
    if (a == 0)
        _exit(orphan_session());
    st = child_status(a);
    tap_ok(exited_with(st, 0), "SIGTSTP to an orphaned group is discarded");
    close(fds[1]);
    p = (struct pollfd){ .fd = fds[0], .events = POLLIN };
    tap_ok(poll(&p, 1, WAIT_MS) == 1 && read(fds[0], &c, 1) == 1 && c == 'h',
           "a newly orphaned group with a stopped member gets SIGHUP and SIGCONT");
    close(fds[0]);
}

/* Buffers outside user space: EFAULT at once, though the call would block. */
static void test_efault_before_blocking(void)
{
    int fds[2];
    char ok[8];
    struct iovec iov[2] = { { ok, sizeof ok }, { KERNEL_HALF, 8 } };
    void *crossing = (void *)(uintptr_t)(USER_END - 8);

    if (pipe(fds) != 0)
        return;
    set_handler(SIGALRM, on_alarm, 0);   /* a wrong block ends in EINTR, not a hang */
    alarm(SAFETY_ALARM_S);
    tap_fails_with(read(fds[0], KERNEL_HALF, 8), EFAULT, "read of an empty pipe into the kernel half: EFAULT at once");
    tap_fails_with(read(fds[0], crossing, 4096), EFAULT, "read into a range crossing the end of user space: EFAULT");
    tap_fails_with(readv(fds[0], iov, 2), EFAULT, "readv with one bad buffer: EFAULT at once");
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    while (write(fds[1], ok, sizeof ok) > 0)
        ;
    fcntl(fds[1], F_SETFL, 0);
    tap_fails_with(write(fds[1], KERNEL_HALF, 8), EFAULT, "write to a full pipe from the kernel half: EFAULT at once");
    tap_fails_with(writev(fds[1], iov, 2), EFAULT, "writev with one bad buffer: EFAULT at once");
    if (fcntl(0, F_GETFL) >= 0 && (fcntl(0, F_GETFL) & O_ACCMODE) != O_WRONLY)
        tap_fails_with(read(0, KERNEL_HALF, 8), EFAULT, "read(0, kernel address): EFAULT at once");
    else
        tap_skip("read(0, kernel address): EFAULT at once", "stdin is not readable");
    alarm(0);
    close(fds[0]);
    close(fds[1]);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--pause") == 0) {
        for (;;)
            pause();
    }
    signal(SIGTTOU, SIG_IGN);   /* never stop ourselves if run from a job-control shell */
    if (getpid() == 1) {
        /* PID 1 is no parent for the orphan rules (Linux), so its children's groups
         * would all be orphaned: the tests run one level down. */
        pid_t pid = fork();
        int st = -1;
        if (pid > 0) {
            wait_child(pid, &st);
            return exited_with(st, 0) ? 0 : 1;
        }
    }
    test_ids();
    test_setpgid();
    test_setpgid_after_exec(argv[0]);
    test_setpgid_other_session();
    test_kill_group();
    test_kill_zero_and_zombie();
    test_stop_continue();
    test_waitid();
    test_wait_selectors();
    test_nocldstop();
    test_read_across_stop();
    test_threads_stop();
    test_sleep_across_stop();
    test_orphaned_group();
    test_efault_before_blocking();
    return tap_done();
}
