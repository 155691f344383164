/* tests/guest/programs/signals.c: faults become signals (SIGSEGV, SIGILL, SIGFPE) that kill
 * only the faulting child; default actions of SIGTERM and SIGKILL; handlers with siginfo,
 * masks, pending signals, EINTR and SA_RESTART, SIGCHLD, and recovery from a fault. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>

#include "tap.h"
#include "util.h"

#define FAULT_ADDRESS 0x10        /* in the never-mapped first page */
#define SIGNAL_PERIOD_MS 20
#define SIGNAL_ATTEMPTS 100       /* the sender gives up after 2 s */
#define SIGCHLD_WAIT_MS 1000

/* Written by handlers, read by the tests. */
static volatile sig_atomic_t usr1_count, usr2_count, chld_count;
static volatile sig_atomic_t usr1_si_pid, usr1_si_code, chld_si_pid;
static volatile sig_atomic_t raise_usr2_inside;     /* set by the sa_mask test */
static volatile sig_atomic_t usr2_count_inside = -1;
static volatile uintptr_t fault_si_addr;
static sigjmp_buf fault_return;

/* A crash must not leave a core file on the host. */
static void no_core_dumps(void)
{
    struct rlimit none = { 0, 0 };

    setrlimit(RLIMIT_CORE, &none);
}

static void crash_null_write(void)
{
    /* volatile on both: the compiler may neither see NULL nor drop the store */
    volatile int *volatile p = NULL;

    *p = 1;
}

static void crash_invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

static void crash_divide_by_zero(void)
{
    volatile int one = 1, zero = 0;   /* unknown to the compiler, so idiv stays */
    volatile int result = one / zero;

    (void)result;
}

/* Fork a child that runs fn with default signal actions; return its wait status. */
static int status_of_child(void (*fn)(void))
{
    int status = 0;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        no_core_dumps();
        fn();
        _exit(0);
    }
    if (pid < 0 || wait_child(pid, &status) != pid)
        return -1;
    return status;
}

static void check_killed_by(int status, int sig, const char *what)
{
    char text[64];

    if (!tap_ok(status != -1 && killed_by(status, sig), "%s", what))
        tap_diag("child: %s", status == -1 ? "no status" : status_text(status, text, sizeof text));
}

static void test_fault_signals(void)
{
    check_killed_by(status_of_child(crash_null_write), SIGSEGV,
                    "a child writing through NULL dies of SIGSEGV; the parent goes on");
    check_killed_by(status_of_child(crash_invalid_opcode), SIGILL,
                    "a child executing ud2 dies of SIGILL");
    check_killed_by(status_of_child(crash_divide_by_zero), SIGFPE,
                    "a child dividing by zero dies of SIGFPE");
}

/* A child that says it is ready, then waits in pause() for sig. */
static void test_default_kill(int sig, const char *what)
{
    int ready[2], status = 0;
    char byte = 0;
    pid_t pid;

    if (pipe(ready) != 0 || (pid = fork()) < 0) {
        tap_ok(false, "%s (pipe and fork)", what);
        return;
    }
    if (pid == 0) {
        write_full(ready[1], "r", 1);
        for (;;)
            pause();
    }
    close(ready[1]);
    read_full(ready[0], &byte, 1);
    close(ready[0]);
    kill(pid, sig);
    wait_child(pid, &status);
    check_killed_by(byte == 'r' ? status : -1, sig, what);
}

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    usr1_count++;
    usr1_si_pid = si->si_pid;
    usr1_si_code = si->si_code;
    if (raise_usr2_inside) {
        raise(SIGUSR2);                      /* held back by sa_mask until we return */
        usr2_count_inside = usr2_count;
    }
}

static void on_usr2(int sig)
{
    (void)sig;
    usr2_count++;
}

static void install(int sig, void (*action)(int, siginfo_t *, void *), void (*handler)(int),
                    int flags, int also_blocked)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    if (also_blocked)
        sigaddset(&sa.sa_mask, also_blocked);
    sa.sa_flags = flags | (action ? SA_SIGINFO : 0);
    if (action)
        sa.sa_sigaction = action;
    else
        sa.sa_handler = handler;
    sigaction(sig, &sa, NULL);
}

static void test_handler_to_self(void)
{
    install(SIGUSR1, on_usr1, NULL, 0, SIGUSR2);
    install(SIGUSR2, NULL, on_usr2, 0, 0);

    kill(getpid(), SIGUSR1);
    tap_is_long(usr1_count, 1, "kill(getpid(), SIGUSR1) runs the handler before kill returns");
    tap_ok(usr1_si_pid == getpid() && usr1_si_code == SI_USER,
           "siginfo names the sender's pid and SI_USER");
    raise(SIGUSR1);
    tap_is_long(usr1_count, 2, "raise(SIGUSR1) runs the handler");
}

static bool is_pending(int sig)
{
    sigset_t pending;

    sigemptyset(&pending);
    return sigpending(&pending) == 0 && sigismember(&pending, sig);
}

static void test_blocking(void)
{
    sigset_t usr1, current;
    bool pending;
    long while_blocked;

    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    raise(SIGUSR1);
    raise(SIGUSR1);
    while_blocked = usr1_count;
    pending = is_pending(SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    tap_ok(while_blocked == 2 && pending, "a blocked SIGUSR1 waits in sigpending");
    tap_is_long(usr1_count, 3, "unblocking delivers it once (standard signals do not queue)");

    raise_usr2_inside = 1;
    raise(SIGUSR1);
    raise_usr2_inside = 0;
    tap_ok(usr2_count_inside == 0 && usr2_count == 1,
           "sa_mask holds SIGUSR2 back while the SIGUSR1 handler runs");
    sigprocmask(SIG_SETMASK, NULL, &current);
    tap_ok(!sigismember(&current, SIGUSR1) && !sigismember(&current, SIGUSR2),
           "the mask is restored after the handlers return");
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    fault_si_addr = (uintptr_t)si->si_addr;
    siglongjmp(fault_return, 1);
}

static void test_fault_recovery(void)
{
    volatile bool recovered = false;
    volatile int *volatile p = (volatile int *)FAULT_ADDRESS;

    install(SIGSEGV, on_segv, NULL, 0, 0);
    if (sigsetjmp(fault_return, 1) == 0)
        *p = 1;
    else
        recovered = true;
    signal(SIGSEGV, SIG_DFL);
    if (!tap_ok(recovered && fault_si_addr == FAULT_ADDRESS,
                "a SIGSEGV handler sees si_addr of the fault and siglongjmps out"))
        tap_diag("recovered %d, si_addr %#lx", (int)recovered, (unsigned long)fault_si_addr);
}

/* Child: signal the parent every period; write a byte at the end so no read hangs. */
static void run_signal_sender(pid_t parent, int wake_fd, int attempts)
{
    for (int i = 0; i < attempts; i++) {
        sleep_ms(SIGNAL_PERIOD_MS);
        kill(parent, SIGUSR1);
    }
    write_full(wake_fd, "w", 1);
    _exit(0);
}

/* Block in read() while a child sends SIGUSR1; returns read's result and errno. */
static long read_under_signals(int flags, int attempts, int *err)
{
    int fds[2], status;
    char byte;
    long r;
    pid_t pid;

    install(SIGUSR1, on_usr1, NULL, flags, 0);
    if (pipe(fds) != 0 || (pid = fork()) < 0)
        return -2;
    if (pid == 0)
        run_signal_sender(getppid(), fds[1], attempts);
    close(fds[1]);
    r = read(fds[0], &byte, 1);
    *err = errno;
    kill(pid, SIGKILL);
    wait_child(pid, &status);
    close(fds[0]);
    return r;
}

static void test_interrupted_read(void)
{
    long before = usr1_count, r;
    int err = 0;

    r = read_under_signals(0, SIGNAL_ATTEMPTS, &err);
    if (!tap_ok(r == -1 && err == EINTR, "a handler without SA_RESTART interrupts read: EINTR"))
        tap_diag("read returned %ld, errno %d", r, err);
    before = usr1_count;
    r = read_under_signals(SA_RESTART, 3, &err);
    if (!tap_ok(r == 1 && usr1_count > before,
                "with SA_RESTART the read resumes after the handler and gets the data"))
        tap_diag("read returned %ld, errno %d, handler ran %ld times", r, err,
                 (long)(usr1_count - before));
}

static void on_chld(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    chld_count++;
    chld_si_pid = si->si_pid;
}

static void test_sigchld(void)
{
    pid_t pid;
    int status;

    install(SIGCHLD, on_chld, NULL, 0, 0);
    pid = fork();
    if (pid == 0)
        _exit(0);
    for (int waited = 0; chld_count == 0 && waited < SIGCHLD_WAIT_MS; waited += 10)
        sleep_ms(10);
    wait_child(pid, &status);
    tap_ok(chld_count >= 1 && chld_si_pid == pid, "SIGCHLD reaches the parent with the child's pid");
    signal(SIGCHLD, SIG_DFL);
}

static void test_uncatchable(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    tap_fails_with(sigaction(SIGKILL, &sa, NULL), EINVAL,
                   "sigaction on SIGKILL fails with EINVAL");
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    tap_ok(true, "an ignored SIGUSR2 raised at self does nothing");
    signal(SIGUSR2, SIG_DFL);
}

int main(void)
{
    test_fault_signals();
    test_default_kill(SIGTERM, "SIGTERM's default action kills a child blocked in pause");
    test_default_kill(SIGKILL, "SIGKILL kills a child blocked in pause");
    test_handler_to_self();
    test_blocking();
    test_fault_recovery();
    test_interrupted_read();
    test_sigchld();
    test_uncatchable();
    return tap_done();
}
