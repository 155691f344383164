/* tests/guest/programs/rlimits.c: resource limits: RLIMIT_NOFILE bounds open/dup/pipe
 * (EMFILE, EBADF, EINVAL), hard limits and EPERM, limits inherited at fork and kept
 * across exec, prlimit64 on another process, RLIMIT_AS (mmap ENOMEM), RLIMIT_STACK (the
 * stack's size at exec), RLIMIT_NPROC (fork EAGAIN), RLIMIT_FSIZE (EFBIG and SIGXFSZ),
 * RLIMIT_CPU (SIGXCPU) and RLIMIT_CORE kept. Usage: rlimits [DIR] (a writable directory,
 * default /dev/shm). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "tap.h"
#include "util.h"

#define FEW_FDS 10
#define MIB (1ul << 20)
#define SMALL_STACK (256ul << 10)
#define BIG_STACK (16 * MIB)
#define FSIZE_LIMIT 1000

static const char *self;

static bool on_anvil(void)
{
    struct utsname u;

    return uname(&u) == 0 && strcmp(u.sysname, "Anvil") == 0;
}

static rlim_t soft(int res)
{
    struct rlimit r;

    return getrlimit(res, &r) == 0 ? r.rlim_cur : 0;
}

static int set_soft(int res, rlim_t cur)
{
    struct rlimit r;

    if (getrlimit(res, &r) != 0)
        return -1;
    r.rlim_cur = cur;
    return setrlimit(res, &r);
}

/* Touch len bytes of stack, from the top down, a page at a time. */
static int __attribute__((noinline)) use_stack(size_t len)
{
    volatile char *buf = __builtin_alloca(len);

    for (size_t i = len; i >= 4096; i -= 4096)
        buf[i - 4096] = 1;
    return buf[0];
}

/* Modes this program runs in after re-executing itself. */
static int exec_mode(const char *mode, const char *arg)
{
    if (strcmp(mode, "nofile") == 0)
        return soft(RLIMIT_NOFILE) == (rlim_t)atol(arg) ? 0 : 1;
    if (strcmp(mode, "stack") == 0) {
        use_stack((size_t)atol(arg));
        return 0;
    }
    return 2;
}

/* Run this program again as `self MODE ARG` with a limit set first; its wait status. */
static int run_self(int res, rlim_t cur, const char *mode, const char *arg)
{
    pid_t pid;
    int st;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct rlimit r = { 0, 0 };
        getrlimit(res, &r);
        if (r.rlim_max != RLIM_INFINITY && r.rlim_max < cur)
            r.rlim_max = cur;
        r.rlim_cur = cur;
        if (setrlimit(res, &r) != 0)
            _exit(3);
        execl(self, self, mode, arg, (char *)NULL);
        _exit(4);
    }
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return st;
}

static void test_nofile(void)
{
    struct rlimit r = { 0, 0 }, big;
    int fds[FEW_FDS + 2], n = 0, p[2], fd;

    getrlimit(RLIMIT_NOFILE, &r);
    tap_ok(r.rlim_cur > 0 && r.rlim_cur <= r.rlim_max, "RLIMIT_NOFILE: soft %lu <= hard %lu",
           (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
    tap_ok(set_soft(RLIMIT_NOFILE, FEW_FDS) == 0, "lower the soft limit to %d", FEW_FDS);
    while (n < FEW_FDS + 2 && (fd = dup(0)) >= 0)
        fds[n++] = fd;
    tap_fails_with(dup(0), EMFILE, "dup beyond it: EMFILE");
    tap_ok(n > 0 && fds[n - 1] == FEW_FDS - 1, "the last fd handed out is %d", FEW_FDS - 1);
    tap_fails_with(open("/dev/null", O_RDONLY), EMFILE, "open beyond it: EMFILE");
    close(fds[--n]);
    tap_fails_with(pipe(p), EMFILE, "pipe with one free fd: EMFILE");
    tap_fails_with(dup2(0, FEW_FDS), EBADF, "dup2 to an fd >= the limit: EBADF");
    tap_fails_with(dup3(0, FEW_FDS + 5, 0), EBADF, "dup3 to an fd >= the limit: EBADF");
    tap_fails_with(fcntl(0, F_DUPFD, FEW_FDS), EINVAL, "F_DUPFD from the limit: EINVAL");
    tap_fails_with(fcntl(0, F_DUPFD_CLOEXEC, -1), EINVAL, "F_DUPFD_CLOEXEC from -1: EINVAL");
    while (n > 0)
        close(fds[--n]);
    tap_ok(setrlimit(RLIMIT_NOFILE, &r) == 0, "restore the limit");
    big = (struct rlimit){ r.rlim_max + 1, r.rlim_max };
    tap_fails_with(setrlimit(RLIMIT_NOFILE, &big), EINVAL, "soft above hard: EINVAL");
    big = (struct rlimit){ 1ul << 30, 1ul << 30 };
    tap_fails_with(setrlimit(RLIMIT_NOFILE, &big), EPERM, "a hard limit past the system's maximum: EPERM");
    tap_fails_with(setrlimit(RLIM_NLIMITS + 3, &r), EINVAL, "an unknown resource: EINVAL");
}

static void test_dup_semantics(void)
{
    int fd = open("/dev/null", O_RDONLY), c;

    tap_is_long(dup2(fd, fd), fd, "dup2 of an fd onto itself returns it");
    tap_fails_with(dup3(fd, fd, 0), EINVAL, "dup3 onto itself: EINVAL");
    /* musl's dup3 drops flags other than O_CLOEXEC itself: ask the kernel. */
    tap_fails_with(syscall(SYS_dup3, fd, fd + 1, O_NONBLOCK), EINVAL,
                   "dup3 with a flag other than O_CLOEXEC: EINVAL");
    tap_fails_with(syscall(SYS_dup3, fd, fd, O_CLOEXEC), EINVAL, "the dup3 call itself: EINVAL when equal");
    tap_fails_with(dup2(99, 98), EBADF, "dup2 of a closed fd: EBADF");
    tap_fails_with(dup2(99, 99), EBADF, "dup2 of a closed fd onto itself: EBADF");
    tap_ok(dup3(fd, fd + 1, O_CLOEXEC) == fd + 1 && fcntl(fd + 1, F_GETFD) == FD_CLOEXEC,
           "dup3 with O_CLOEXEC sets FD_CLOEXEC");
    tap_ok(dup2(fd, fd + 1) == fd + 1 && fcntl(fd + 1, F_GETFD) == 0, "dup2 over it clears FD_CLOEXEC");
    c = fcntl(fd, F_DUPFD_CLOEXEC, fd + 5);
    tap_ok(c >= fd + 5 && fcntl(c, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC: at or above the minimum, close-on-exec");
    close(c);
    close(fd + 1);
    close(fd);
}

static void test_inherit(void)
{
    struct rlimit old, r;
    pid_t pid;
    int st, p[2];
    char c = 0;

    getrlimit(RLIMIT_NOFILE, &old);
    set_soft(RLIMIT_NOFILE, 20);
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(soft(RLIMIT_NOFILE) == 20 ? 0 : 1);
    waitpid(pid, &st, 0);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a fork child inherits the limits");
    setrlimit(RLIMIT_NOFILE, &old);
    st = run_self(RLIMIT_NOFILE, 17, "nofile", "17");
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "limits are kept across exec");
    pipe(p);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        read(p[0], &c, 1);
        _exit(soft(RLIMIT_NOFILE) == 13 ? 0 : 1);
    }
    r = (struct rlimit){ 13, old.rlim_max };
    tap_ok(prlimit(pid, RLIMIT_NOFILE, &r, &old) == 0 && old.rlim_cur > 13, "prlimit64 sets another process's limit");
    write(p[1], "g", 1);
    waitpid(pid, &st, 0);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "and that process sees it");
    tap_ok(prlimit(pid, RLIMIT_NOFILE, NULL, &r) == -1 && errno == ESRCH, "prlimit64 on a gone pid: ESRCH");
    close(p[0]);
    close(p[1]);
}

static void test_as(void)
{
    struct rlimit old;
    void *small, *big;

    getrlimit(RLIMIT_AS, &old);
    tap_ok(set_soft(RLIMIT_AS, 256 * MIB) == 0, "RLIMIT_AS 256 MiB");
    big = mmap(NULL, 512 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    tap_ok(big == MAP_FAILED && errno == ENOMEM, "mmap of 512 MiB: ENOMEM");
    small = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    tap_ok(small != MAP_FAILED, "mmap of 1 MiB still works");
    tap_ok(sbrk(512 * MIB) == (void *)-1, "brk past it fails");
    if (small != MAP_FAILED)
        munmap(small, MIB);
    setrlimit(RLIMIT_AS, &old);
}

static void test_stack(void)
{
    char arg[32];
    int st;

    snprintf(arg, sizeof arg, "%lu", 12 * MIB);
    st = run_self(RLIMIT_STACK, BIG_STACK, "stack", arg);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "RLIMIT_STACK 16 MiB at exec: 12 MiB of stack works");
    snprintf(arg, sizeof arg, "%lu", 2 * MIB);
    st = run_self(RLIMIT_STACK, SMALL_STACK, "stack", arg);
    tap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "RLIMIT_STACK 256 KiB: 2 MiB of stack is SIGSEGV");
}

static void test_nproc(void)
{
    pid_t pid;
    int st;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pid_t c;
        set_soft(RLIMIT_NPROC, 1);
        c = fork();
        if (c == 0)
            _exit(0);
        if (c > 0) {
            waitpid(c, NULL, 0);
            _exit(10);   /* not enforced */
        }
        _exit(errno == EAGAIN ? 0 : 1);
    }
    waitpid(pid, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 10 && !on_anvil() && getuid() == 0)
        tap_skip("RLIMIT_NPROC 1: fork EAGAIN", "root is exempt on Linux");
    else
        tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "RLIMIT_NPROC 1: fork EAGAIN");
}

static volatile sig_atomic_t xfsz;

static void on_xfsz(int sig)
{
    (void)sig;
    xfsz++;
}

static void test_fsize(const char *dir)
{
    struct sigaction sa = { .sa_handler = on_xfsz };
    char path[256], buf[2 * FSIZE_LIMIT];
    struct rlimit old;
    ssize_t cut, over;
    int fd, err;

    snprintf(path, sizeof path, "%s/rlimits-%d", dir, (int)getpid());
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (!tap_ok(fd >= 0, "create %s", path))
        return;
    sigaction(SIGXFSZ, &sa, NULL);
    getrlimit(RLIMIT_FSIZE, &old);
    set_soft(RLIMIT_FSIZE, FSIZE_LIMIT);
    memset(buf, 'f', sizeof buf);
    cut = write(fd, buf, sizeof buf);
    over = write(fd, buf, 1);
    err = errno;
    setrlimit(RLIMIT_FSIZE, &old);   /* before printing: stdout may be a file too */
    tap_is_long(cut, FSIZE_LIMIT, "RLIMIT_FSIZE: a write is cut at the limit");
    errno = err;
    tap_fails_with(over, EFBIG, "a write at the limit: EFBIG");
    tap_ok(xfsz == 1, "and SIGXFSZ");
    close(fd);
    unlink(path);
}

static volatile sig_atomic_t xcpu;

static void on_xcpu(int sig)
{
    (void)sig;
    xcpu++;
}

/* Spin until SIGXCPU (soft limit 1 s of CPU): 0, and the soft limit moved on to 2 s. */
static int cpu_child(void)
{
    struct sigaction sa = { .sa_handler = on_xcpu };
    struct rlimit r = { 1, 3 };
    uint64_t end = mono_ns() + 10 * NS_PER_SEC;

    sigaction(SIGXCPU, &sa, NULL);
    if (setrlimit(RLIMIT_CPU, &r) != 0)
        return 2;
    while (!xcpu && mono_ns() < end)
        ;
    getrlimit(RLIMIT_CPU, &r);
    return xcpu && r.rlim_cur == 2 ? 0 : 1;
}

static void test_cpu(void)
{
    pid_t pid;
    int st;

    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(cpu_child());
    waitpid(pid, &st, 0);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "RLIMIT_CPU: SIGXCPU after a second of CPU, the soft limit moves on");
}

static void test_stored(void)
{
    struct rlimit r = { 0, 0 }, got;

    tap_ok(setrlimit(RLIMIT_CORE, &r) == 0 && getrlimit(RLIMIT_CORE, &got) == 0 && got.rlim_max == 0,
           "RLIMIT_CORE is kept");
    r = (struct rlimit){ 1000, 2000 };
    tap_ok(setrlimit(RLIMIT_CPU, &r) == 0 && getrlimit(RLIMIT_CPU, &got) == 0 && got.rlim_cur == 1000 &&
               got.rlim_max == 2000,
           "RLIMIT_CPU is kept");
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc == 3)
        return exec_mode(argv[1], argv[2]);
    test_nofile();
    test_dup_semantics();
    test_inherit();
    test_as();
    test_stack();
    test_nproc();
    test_fsize(argc > 1 ? argv[1] : "/dev/shm");
    test_stored();
    test_cpu();
    return tap_done();
}
