/* tests/guest/programs/locks.c: advisory file locks seen across processes: fcntl record
 * locks (F_SETLK, F_SETLKW, F_GETLK) with splits, merges and l_whence, blocking with
 * EINTR and EDEADLK, release on close and exit; open-file-description locks (F_OFD_*);
 * flock(2). Usage: locks [FILE] (default /dev/shm/locks-test-PID). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/time.h>

#include "tap.h"
#include "util.h"

#define FILE_BYTES 100
#define BLOCK_MS 200

static char path[256];

/* fcntl with a struct flock built from its fields: the call's result (errno kept). */
static int lk(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
    struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };

    return fcntl(fd, cmd, &fl);
}

/* F_GETLK (or F_OFD_GETLK) for a write lock on [start, start + len). */
static struct flock probe(int fd, int cmd, off_t start, off_t len)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

    if (fcntl(fd, cmd, &fl) != 0)
        fl.l_type = -1;
    return fl;
}

/* A check inside a child: a diagnostic when it fails (only the parent prints TAP lines,
 * so the count stays right). */
static bool check(bool cond, const char *what)
{
    if (!cond)
        tap_diag("child: failed: %s", what);
    return cond;
}

static bool busy(int r)
{
    return r == -1 && (errno == EAGAIN || errno == EACCES);
}

/* Start fn in a child with its own fd of the file; it exits with fn's result (the
 * number of failed checks it saw). */
static pid_t start_child(int (*fn)(int fd, void *arg), void *arg)
{
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int fd = open(path, O_RDWR);
        _exit(fd < 0 ? 99 : fn(fd, arg));
    }
    return pid;
}

/* The child's exit status, or -1 when it did not exit. */
static int finish_child(pid_t pid)
{
    int st;

    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

static int in_child(int (*fn)(int fd, void *arg), void *arg)
{
    return finish_child(start_child(fn, arg));
}

static int child_sees_parent_lock(int fd, void *arg)
{
    pid_t parent = *(pid_t *)arg;
    struct flock fl = probe(fd, F_GETLK, 0, FILE_BYTES);
    int bad = 0;

    bad += !check(busy(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 10)), "child: F_SETLK on a locked range is refused");
    bad += !check(fl.l_type == F_WRLCK && fl.l_pid == parent && fl.l_start == 0 && fl.l_len == 10,
                   "child: F_GETLK names the parent's write lock [0, 10)");
    if (fl.l_type != F_WRLCK || fl.l_pid != parent)
        tap_diag("type %d pid %d start %ld len %ld", fl.l_type, fl.l_pid, (long)fl.l_start, (long)fl.l_len);
    bad += !check(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 10) == 0, "child: the range next to it can be locked");
    return bad;
}

static int child_checks_split(int fd, void *arg)
{
    struct flock hole = probe(fd, F_GETLK, 40, 20), edge = probe(fd, F_GETLK, 30, 40);
    int bad = 0;

    (void)arg;
    bad += !check(hole.l_type == F_UNLCK, "split: the unlocked middle [40, 60) is free");
    bad += !check(edge.l_type == F_WRLCK && ((edge.l_start == 0 && edge.l_len == 40) ||
                                              (edge.l_start == 60 && edge.l_len == 40)),
                   "split: around it the pieces [0, 40) and [60, 100) remain");
    return bad;
}

static int child_checks_merge(int fd, void *arg)
{
    struct flock fl = probe(fd, F_GETLK, 0, 50);

    (void)arg;
    return !check(fl.l_type == F_RDLCK && fl.l_start == 0 && fl.l_len == 30,
                   "merge: adjacent read locks [0, 10) [10, 20) [20, 30) are one lock [0, 30)");
}

static int child_checks_whence(int fd, void *arg)
{
    struct flock cur = probe(fd, F_GETLK, 55, 1), end = probe(fd, F_GETLK, 95, 1);

    (void)arg;
    return !check(cur.l_type == F_WRLCK && cur.l_start == 50 && cur.l_len == 10,
                   "SEEK_CUR: a lock at offset 50 + 0 covers [50, 60)") +
           !check(end.l_type == F_WRLCK && end.l_start == 90 && end.l_len == 10,
                   "SEEK_END: a lock at end - 10 covers [90, 100)");
}

static int child_can_lock(int fd, void *arg)
{
    (void)arg;
    return lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0) == 0 ? 0 : 1;
}

static void test_basic(int fd)
{
    pid_t me = getpid();

    tap_ok(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10) == 0, "F_SETLK write lock [0, 10)");
    tap_ok(in_child(child_sees_parent_lock, &me) == 0, "a child process sees it");
    tap_ok(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, FILE_BYTES) == 0 &&
               lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 20) == 0,
           "lock [0, 100), unlock [40, 60)");
    tap_ok(in_child(child_checks_split, NULL) == 0, "the child sees the split");
    tap_ok(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0) == 0, "unlock everything (l_len 0: to the end)");
    tap_ok(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 10) == 0 && lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10) == 0 &&
               lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 10) == 0,
           "three adjacent read locks");
    tap_ok(in_child(child_checks_merge, NULL) == 0, "the child sees them merged");
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    lseek(fd, 50, SEEK_SET);
    tap_ok(lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, 0, 10) == 0 && lk(fd, F_SETLK, F_WRLCK, SEEK_END, -10, 10) == 0,
           "locks relative to the offset and to the end");
    tap_ok(in_child(child_checks_whence, NULL) == 0, "the child sees where they are");
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    tap_ok(in_child(child_can_lock, NULL) == 0, "after unlocking, the child locks the whole file");
}

static void test_errors(int fd)
{
    int ro = open(path, O_RDONLY);
    struct flock fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET };

    tap_fails_with(lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF, "a write lock on a read-only fd: EBADF");
    tap_fails_with(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, -5, 1), EINVAL, "a negative start: EINVAL");
    tap_fails_with(lk(fd, F_SETLK, 7, SEEK_SET, 0, 1), EINVAL, "a bad l_type: EINVAL");
    tap_fails_with(lk(fd, F_SETLK, F_RDLCK, 9, 0, 1), EINVAL, "a bad l_whence: EINVAL");
    tap_fails_with(fcntl(fd, F_GETLK, &fl), EINVAL, "F_GETLK with F_UNLCK: EINVAL");
    tap_fails_with(lk(-1, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF, "a bad fd: EBADF");
    tap_fails_with(fcntl(fd, F_SETLK, (struct flock *)8), EFAULT, "a bad pointer: EFAULT");
    close(ro);
}

static void on_alarm(int sig)
{
    (void)sig;
}

/* The child blocks in F_SETLKW until the parent unlocks; writes how long it waited. */
static int child_waits(int fd, void *arg)
{
    int *pipefd = arg;
    uint64_t t0 = mono_ns();
    int r;

    write(pipefd[1], "r", 1);
    r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 10);
    return r == 0 && mono_ns() - t0 >= (BLOCK_MS / 2) * NS_PER_MS ? 0 : 1;
}

static void test_blocking(int fd)
{
    int p[2];
    pid_t pid;
    char c;

    pipe(p);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    pid = start_child(child_waits, p);
    read(p[0], &c, 1);
    sleep_ms(BLOCK_MS);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 10);
    tap_ok(finish_child(pid) == 0, "F_SETLKW sleeps until the holder unlocks");
    close(p[0]);
    close(p[1]);
}

static int child_interrupted(int fd, void *arg)
{
    struct sigaction sa = { .sa_handler = on_alarm };
    int r;

    (void)arg;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 10);
    return r == -1 && errno == EINTR ? 0 : 1;
}

static volatile sig_atomic_t alarms;

static void count_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* With SA_RESTART the handler runs and F_SETLKW goes on waiting. */
static int child_restarted(int fd, void *arg)
{
    struct sigaction sa = { .sa_handler = count_alarm, .sa_flags = SA_RESTART };
    struct itimerval it = { .it_value = { 0, BLOCK_MS * 1000 / 2 } };
    int r;

    (void)arg;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 10);
    return r == 0 && alarms == 1 ? 0 : 1;
}

static void test_eintr(int fd)
{
    pid_t pid;

    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    tap_ok(in_child(child_interrupted, NULL) == 0, "a signal interrupts F_SETLKW: EINTR");
    pid = start_child(child_restarted, NULL);
    sleep_ms(2 * BLOCK_MS);
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    tap_ok(finish_child(pid) == 0, "with SA_RESTART, F_SETLKW is restarted after the handler");
}

/* The child holds byte 1, tells the parent, then waits for byte 0 (the parent's). */
static int child_holds_then_waits(int fd, void *arg)
{
    int *pipefd = arg;

    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
    write(pipefd[1], "h", 1);
    return lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1) == 0 ? 0 : 1;
}

static void test_deadlock(int fd)
{
    int p[2], r;
    pid_t pid;
    char c;

    pipe(p);
    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    pid = start_child(child_holds_then_waits, p);
    read(p[0], &c, 1);
    sleep_ms(BLOCK_MS);   /* let the child go to sleep in F_SETLKW */
    r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
    tap_fails_with(r, EDEADLK, "waiting for each other's byte: EDEADLK");
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    tap_ok(finish_child(pid) == 0, "the other side then gets its lock");
    close(p[0]);
    close(p[1]);
}

static void test_release(int fd)
{
    int other = open(path, O_RDONLY);

    lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    close(other);
    tap_ok(in_child(child_can_lock, NULL) == 0, "closing another fd of the file drops our POSIX locks");
    tap_ok(in_child(child_can_lock, NULL) == 0 && lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10) == 0,
           "a child's locks go when it exits");
    lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
}

static int child_sees_ofd(int fd, void *arg)
{
    struct flock fl = probe(fd, F_GETLK, 0, 1);

    (void)arg;
    return !check(fl.l_type == F_WRLCK && fl.l_pid == -1, "child: F_GETLK reports an OFD lock with l_pid -1");
}

static void test_ofd(void)
{
    int a = open(path, O_RDWR), b = open(path, O_RDWR);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1, .l_pid = 1 };

    tap_ok(lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10) == 0, "F_OFD_SETLK on one open file");
    tap_ok(busy(lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1)), "another open file of ours conflicts with it");
    fl = probe(b, F_OFD_GETLK, 0, 1);
    tap_ok(fl.l_type == F_WRLCK && fl.l_pid == -1, "F_OFD_GETLK reports it with l_pid -1");
    tap_ok(busy(lk(b, F_SETLK, F_RDLCK, SEEK_SET, 0, 1)), "POSIX locks of the same process conflict with it too");
    tap_ok(in_child(child_sees_ofd, NULL) == 0, "and other processes see it");
    fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1, .l_pid = 1 };
    tap_fails_with(fcntl(b, F_OFD_SETLK, &fl), EINVAL, "F_OFD_SETLK with l_pid set: EINVAL");
    close(a);
    tap_ok(lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10) == 0, "closing the open file releases its OFD locks");
    close(b);
}

static int child_flocks(int fd, void *arg)
{
    close(*(int *)arg);   /* our copy shares the parent's open file, lock and all */
    return flock(fd, LOCK_EX) == 0 ? 0 : 1;   /* blocks until the parent closes */
}

static void test_flock(void)
{
    int a = open(path, O_RDWR), b = open(path, O_RDWR);
    pid_t pid;

    tap_ok(flock(a, LOCK_EX) == 0, "flock LOCK_EX");
    tap_fails_with(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "a second open file: LOCK_EX|LOCK_NB would block");
    tap_fails_with(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "and LOCK_SH|LOCK_NB too");
    tap_ok(lk(b, F_SETLK, F_WRLCK, SEEK_SET, 0, 1) == 0 && lk(b, F_SETLK, F_UNLCK, SEEK_SET, 0, 1) == 0,
           "flock and fcntl locks do not meet");
    tap_ok(flock(a, LOCK_SH) == 0 && flock(b, LOCK_SH | LOCK_NB) == 0, "two shared locks");
    tap_fails_with(flock(a, 0), EINVAL, "no operation: EINVAL");
    tap_ok(flock(a, LOCK_UN) == 0 && flock(b, LOCK_UN) == 0, "LOCK_UN");
    flock(a, LOCK_EX);
    pid = start_child(child_flocks, &a);
    sleep_ms(BLOCK_MS);
    close(a);
    tap_ok(finish_child(pid) == 0, "a blocked LOCK_EX gets the lock when the holder closes");
    close(b);
}

int main(int argc, char **argv)
{
    char buf[FILE_BYTES];
    int fd;

    if (argc > 1)
        snprintf(path, sizeof path, "%s", argv[1]);
    else
        snprintf(path, sizeof path, "/dev/shm/locks-test-%d", (int)getpid());
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (!tap_ok(fd >= 0, "create %s", path)) {
        tap_diag("%s", strerror(errno));
        return tap_done();
    }
    memset(buf, 'x', sizeof buf);
    write_full(fd, buf, sizeof buf);
    test_basic(fd);
    test_errors(fd);
    test_blocking(fd);
    test_eintr(fd);
    test_deadlock(fd);
    test_release(fd);
    test_ofd();
    test_flock();
    close(fd);
    unlink(path);
    return tap_done();
}
