/* tests/guest/programs/exhaust.c: hostile children try to exhaust the machine (a fork
 * bomb, a memory hog, an fd hog, a pipe hog); each ends refused (EAGAIN, ENOMEM, EMFILE,
 * ENFILE) or killed, this process (standing in for init) stays alive and answering, and
 * afterwards the kernel's free memory is back where it was (regress_exhaustion, issue 11
 * finding 6). On a host the same children run under rlimits so they stay small. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "tap.h"
#include "util.h"

#define MIB (1ul << 20)
#define PAGE 4096ul
#define BOMB_MAX 8192                /* forks; a host's bomb stops here at the latest */
#define HOST_BOMB_MAX 200
#define HOST_AS_LIMIT (128ul * MIB)  /* the host's hog meets RLIMIT_AS */
#define HOG_CHUNK MIB
#define TOUCH_BYTES (4 * MIB)        /* what we (the "init") still get under pressure */
#define PIPE_HOGS 6                  /* together they want more pipes than the kernel gives */
#define MEM_SLACK_KB 512
#define HOG_FDS 256                  /* RLIMIT_NOFILE of the fd and pipe hogs (Anvil's table) */             /* caches the kernel keeps (empty slabs, one per class) */

static void check_memory_back(long before_kb, const char *after_what)
{
    long after_kb = meminfo_free_kb();

    if (before_kb < 0) {
        tap_skip("free memory is back", "no sys:meminfo here");
        return;
    }
    if (!tap_ok(after_kb >= before_kb - MEM_SLACK_KB, "after the %s free memory is back "
                "(before %ld kB, after %ld kB)", after_what, before_kb, after_kb))
        tap_diag("MemFree went down by %ld kB", before_kb - after_kb);
}

/* We still answer: a new page of our own, a file read, a child that runs. */
static bool still_answering(void)
{
    char *p = mmap(NULL, TOUCH_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    bool ok = p != MAP_FAILED;

    for (size_t off = 0; ok && off < TOUCH_BYTES; off += PAGE)
        p[off] = (char)off;
    if (p != MAP_FAILED)
        munmap(p, TOUCH_BYTES);
    return ok && getpid() > 0;
}

struct report {
    long count;
    int err;
};

static void send_report(int fd, long count, int err)
{
    struct report r = { count, err };

    write_full(fd, &r, sizeof r);
}

static bool get_report(int fd, struct report *r)
{
    return read_full(fd, r, sizeof *r) == sizeof *r;
}

/* The bomb: fork until refused, children asleep; on word from the test, kill and reap
 * them all. Flat, so that every child is reaped by the bomb itself. */
static void bomb(int rep, int go, long max)
{
    static pid_t kids[BOMB_MAX];
    long n = 0;
    int err = 0;
    char c;

    while (n < max) {
        pid_t pid = fork();
        if (pid == 0) {
            for (;;)
                pause();
        }
        if (pid < 0) {
            err = errno;
            break;
        }
        kids[n++] = pid;
    }
    send_report(rep, n, err);
    read_full(go, &c, 1);
    for (long i = 0; i < n; i++)
        kill(kids[i], SIGKILL);
    for (long i = 0; i < n; i++)
        wait_child(kids[i], NULL);
    _exit(0);
}

static void test_fork_bomb(bool anvil)
{
    int rep[2], go[2], status = 0;
    long before = meminfo_free_kb();
    struct report r = { 0, 0 };
    pid_t b;

    if (pipe(rep) != 0 || pipe(go) != 0 || (b = fork()) < 0) {
        tap_ok(false, "fork bomb: set up");
        return;
    }
    if (b == 0) {
        if (!anvil) {
            struct rlimit lim = { HOST_BOMB_MAX, HOST_BOMB_MAX };
            setrlimit(RLIMIT_NPROC, &lim);
        }
        bomb(rep[1], go[0], anvil ? BOMB_MAX : HOST_BOMB_MAX);
    }
    bool got = get_report(rep[0], &r);
    tap_ok(got, "fork bomb: the bomb reports (%ld children)", r.count);
    if (anvil)
        tap_ok(r.err == EAGAIN, "fork bomb: fork is refused with EAGAIN after %ld children "
               "(errno %d)", r.count, r.err);
    else
        tap_ok(r.count == HOST_BOMB_MAX || r.err == EAGAIN, "fork bomb: stopped (host)");
    tap_ok(still_answering(), "fork bomb: with the table full we still get memory and answer");
    write_full(go[1], "x", 1);
    tap_ok(wait_child(b, &status) == b && exited_with(status, 0),
           "fork bomb: the bomb killed and reaped its children");
    for (int i = 0; i < 2; i++) {
        close(rep[i]);
        close(go[i]);
    }
    check_memory_back(before, "fork bomb");
}

/* The hog: shared anonymous memory is allocated at mmap time, so it takes frames
 * until refused; then it sleeps on them. */
static void hog(int rep, bool anvil)
{
    long chunks = 0;

    if (!anvil) {
        struct rlimit lim = { HOST_AS_LIMIT, HOST_AS_LIMIT };
        setrlimit(RLIMIT_AS, &lim);
    }
    for (;;) {
        void *p = mmap(NULL, HOG_CHUNK, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            break;
        memset(p, 1, HOG_CHUNK);   /* a host allocates on touch */
        chunks++;
    }
    send_report(rep, chunks, errno);
    for (;;)
        pause();
}

static void test_memory_hog(bool anvil)
{
    int rep[2], status = 0;
    long before = meminfo_free_kb();
    struct report r = { 0, 0 };
    pid_t h;

    if (pipe(rep) != 0 || (h = fork()) < 0) {
        tap_ok(false, "memory hog: set up");
        return;
    }
    if (h == 0)
        hog(rep[1], anvil);
    bool got = get_report(rep[0], &r);
    tap_ok(got && r.err == ENOMEM, "memory hog: mmap refused with ENOMEM after %ld MiB (errno %d)", r.count, r.err);
    tap_ok(still_answering(), "memory hog: we still get memory while it holds the rest");
    if (anvil) {
        /* Our fault found no frame: the kernel killed the largest process for it. */
        pid_t w = waitpid(h, &status, WNOHANG);
        tap_ok(w == h && killed_by(status, SIGKILL), "memory hog: the hog was killed (OOM)");
        if (w != h) {
            kill(h, SIGKILL);
            wait_child(h, &status);
        }
    } else {
        kill(h, SIGKILL);
        wait_child(h, &status);
        tap_skip("memory hog: the hog was killed (OOM)", "a host has memory to spare");
    }
    close(rep[0]);
    close(rep[1]);
    check_memory_back(before, "memory hog");
}

/* Open fds until refused; report the count and errno. */
static void limit_fds(void)
{
    struct rlimit lim = { HOG_FDS, HOG_FDS };

    setrlimit(RLIMIT_NOFILE, &lim);
}

static void fd_hog(int rep)
{
    long n = 0;

    limit_fds();
    while (open("/dev/null", O_RDONLY) >= 0)
        n++;
    send_report(rep, n, errno);
    _exit(0);
}

/* Make pipes until refused; report, then wait for word so all hogs hold theirs at once. */
static void pipe_hog(int rep, int go)
{
    int fds[2];
    long n = 0;
    char c;

    limit_fds();
    while (pipe(fds) == 0)
        n++;
    send_report(rep, n, errno);
    read_full(go, &c, 1);
    _exit(0);
}

static void test_fd_hogs(bool anvil)
{
    int rep[2], go[2], status = 0, enfile = 0, others = 0;
    long before = meminfo_free_kb();
    struct report r = { 0, 0 };
    pid_t kids[PIPE_HOGS], f;

    if (pipe(rep) != 0 || pipe(go) != 0 || (f = fork()) < 0) {
        tap_ok(false, "fd hog: set up");
        return;
    }
    if (f == 0)
        fd_hog(rep[1]);
    bool got = get_report(rep[0], &r);
    tap_ok(got && r.err == EMFILE, "fd hog: open refused with EMFILE after "
           "%ld fds (errno %d)", r.count, r.err);
    wait_child(f, &status);
    for (int i = 0; i < PIPE_HOGS; i++)
        if ((kids[i] = fork()) == 0)
            pipe_hog(rep[1], go[0]);
    for (int i = 0; i < PIPE_HOGS; i++) {
        if (!get_report(rep[0], &r))
            break;
        enfile += r.err == ENFILE;
        others += r.err != ENFILE && r.err != EMFILE;
    }
    if (anvil)
        tap_ok(enfile > 0 && others == 0, "pipe hogs: the system's pipes run out (ENFILE) before "
               "memory (%d of %d hogs got ENFILE)", enfile, PIPE_HOGS);
    else
        tap_ok(others == 0, "pipe hogs: refused with EMFILE or ENFILE (host)");
    tap_ok(still_answering(), "pipe hogs: we still get memory and answer");
    for (int i = 0; i < PIPE_HOGS; i++)
        write_full(go[1], "x", 1);
    for (int i = 0; i < PIPE_HOGS; i++)
        if (kids[i] > 0)
            wait_child(kids[i], &status);
    for (int i = 0; i < 2; i++) {
        close(rep[i]);
        close(go[i]);
    }
    check_memory_back(before, "fd and pipe hogs");
}

int main(void)
{
    bool anvil = running_in_anvil();

    signal(SIGPIPE, SIG_IGN);
    test_fork_bomb(anvil);
    test_memory_hog(anvil);
    test_fd_hogs(anvil);
    return tap_done();
}
