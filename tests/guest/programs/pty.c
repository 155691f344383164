/* tests/guest/programs/pty.c: pseudo-terminals as Linux has them: posix_openpt, grantpt,
 * unlockpt, ptsname and openpty; output processing (ONLCR) and echo as the master reads
 * them; canonical input with erase, ^D and raw mode through the line discipline; ^C to a
 * child in the slave's foreground group; the window size and SIGWINCH; hangup when the
 * master closes; EIO and POLLHUP on the master when the slave closes; bounded buffers. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>

#include "tap.h"
#include "util.h"

#define QUIET_MS 200            /* no more output for this long: the master has it all */
#define WAIT_MS 5000            /* for something that must come */
#define FLOOD_MAX (1 << 20)     /* a writer nobody reads from must stop before this */
#define CHUNK 1024
#define WIN_ROWS 30
#define WIN_COLS 100
#define CHILD_FAIL 3

static volatile sig_atomic_t got_winch, got_hup;

static void on_winch(int sig) { (void)sig; got_winch++; }
static void on_hup(int sig) { (void)sig; got_hup++; }

/* Everything fd has until it is quiet for quiet_ms (at most size - 1 bytes, NUL-ended). */
static size_t drain(int fd, char *buf, size_t size, int quiet_ms)
{
    size_t n = 0;
    struct pollfd p = { .fd = fd, .events = POLLIN };

    while (n + 1 < size && poll(&p, 1, quiet_ms) == 1 && (p.revents & POLLIN)) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    return n;
}

/* Wait until the master has shown want (a child says it is ready). */
static bool expect(int m, const char *want)
{
    char buf[256];
    size_t n = 0;
    uint64_t end = mono_ns() + (uint64_t)WAIT_MS * 1000000;

    while (mono_ns() < end && n + 1 < sizeof(buf)) {
        n += drain(m, buf + n, sizeof(buf) - n, 50);
        if (strstr(buf, want))
            return true;
    }
    tap_diag("wanted \"%s\", the master had \"%s\"", want, buf);
    return false;
}

static bool make_pair(int *m, int *s)
{
    if (openpty(m, s, NULL, NULL, NULL) == 0)
        return true;
    tap_diag("openpty: %s", strerror(errno));
    return false;
}

static bool listed_in_dev_pts(const char *name)
{
    DIR *d = opendir("/dev/pts");
    struct dirent *e;
    bool found = false;

    if (!d)
        return false;
    while ((e = readdir(d)))
        found |= strcmp(e->d_name, name) == 0;
    closedir(d);
    return found;
}

static void test_posix_openpt(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY), s;
    char name[64] = "";
    struct stat st;

    if (!tap_ok(m >= 0, "posix_openpt opens /dev/ptmx")) {
        tap_diag("posix_openpt: %s", strerror(errno));
        return;
    }
    tap_ok(ptsname_r(m, name, sizeof(name)) == 0 && strncmp(name, "/dev/pts/", 9) == 0,
           "ptsname names /dev/pts/N (%s)", name);
    errno = 0;
    s = open(name, O_RDWR | O_NOCTTY);
    tap_ok(s < 0 && errno == EIO, "the slave is locked until unlockpt (EIO)");
    if (s >= 0)
        close(s);
    tap_ok(grantpt(m) == 0 && unlockpt(m) == 0, "grantpt and unlockpt");
    s = open(name, O_RDWR | O_NOCTTY);
    tap_ok(s >= 0 && isatty(s) && isatty(m), "the slave opens and both ends are terminals");
    tap_ok(s >= 0 && ttyname(s) && strcmp(ttyname(s), name) == 0, "ttyname of the slave is %s",
           name);
    tap_ok(stat(name, &st) == 0 && S_ISCHR(st.st_mode), "%s is a character device", name);
    tap_ok(listed_in_dev_pts(name + 9), "/dev/pts lists %s", name + 9);
    if (s >= 0)
        close(s);
    close(m);
    tap_ok(!listed_in_dev_pts(name + 9),
           "once the pair is closed /dev/pts no longer lists it");
}

/* What the slave's programs write reaches the master with \n as \r\n. */
static void test_output(int m, int s)
{
    char buf[64];
    struct pollfd p = { .fd = m, .events = POLLIN };

    tap_ok(write(s, "hi\n", 3) == 3, "the slave writes");
    tap_ok(poll(&p, 1, WAIT_MS) == 1 && (p.revents & POLLIN), "poll: the master is readable");
    drain(m, buf, sizeof(buf), QUIET_MS);
    tap_ok(strcmp(buf, "hi\r\n") == 0, "the master reads it after ONLCR: \"hi\\r\\n\"");
}

/* The master types: the line discipline edits, echoes, and hands over a line. */
static void test_canonical(int m, int s)
{
    char buf[64];
    struct pollfd p = { .fd = s, .events = POLLIN };
    ssize_t n;

    write(m, "abx\177c", 5);
    tap_ok(poll(&p, 1, QUIET_MS) == 0, "canonical: no line yet, the slave is not readable");
    write(m, "\n", 1);
    tap_ok(poll(&p, 1, WAIT_MS) == 1, "poll: a finished line makes the slave readable");
    n = read(s, buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    tap_ok(strcmp(buf, "abc\n") == 0, "erase (DEL) removed x: the slave reads \"abc\\n\"");
    drain(m, buf, sizeof(buf), QUIET_MS);
    tap_ok(strcmp(buf, "abx\b \bc\r\n") == 0, "the echo the master reads shows the erase");
    write(m, "one two\027three\n", 14);
    n = read(s, buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    tap_ok(strcmp(buf, "one three\n") == 0, "werase (^W) removed a word");
    drain(m, buf, sizeof(buf), QUIET_MS);
}

static void test_eof(int m, int s)
{
    char buf[16];

    write(m, "ab\004", 3);
    tap_ok(read(s, buf, sizeof(buf)) == 2, "^D after text ends the read without a newline");
    write(m, "\004", 1);
    tap_ok(read(s, buf, sizeof(buf)) == 0, "^D on an empty line reads as end of file");
    drain(m, buf, sizeof(buf), QUIET_MS);
}

static void test_raw(int m, int s)
{
    struct termios saved, t;
    char buf[16] = "";

    tcgetattr(s, &saved);
    t = saved;
    cfmakeraw(&t);
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 0;
    tap_ok(tcsetattr(s, TCSANOW, &t) == 0, "raw mode on the slave");
    write(m, "xyz", 3);
    tap_ok(read_full(s, buf, 3) == 3 && memcmp(buf, "xyz", 3) == 0,
           "raw: the slave reads bytes without a newline");
    tap_ok(drain(m, buf, sizeof(buf), QUIET_MS) == 0, "raw: nothing is echoed");
    write(s, "a\n", 2);
    drain(m, buf, sizeof(buf), QUIET_MS);
    tap_ok(strcmp(buf, "a\n") == 0, "raw: no output processing either");
    tcsetattr(s, TCSANOW, &saved);
}

/* A child that makes the slave its controlling terminal, then runs fn. */
static pid_t spawn_on(int m, int s, int (*fn)(int s))
{
    pid_t pid = fork();

    if (pid == 0) {
        close(m);
        if (setsid() < 0 || ioctl(s, TIOCSCTTY, 0) < 0 || tcgetpgrp(s) != getpid())
            _exit(CHILD_FAIL);
        _exit(fn(s));
    }
    return pid;
}

static int wait_forever(int s)
{
    write(s, "R", 1);
    pause();
    return CHILD_FAIL;   /* ^C kills it first */
}

static void test_intr(int m, int s)
{
    pid_t pid = spawn_on(m, s, wait_forever);
    int status = 0;
    char buf[64];

    tap_ok(expect(m, "R"), "a child takes the slave as its controlling terminal");
    write(m, "\003", 1);
    wait_child(pid, &status);
    tap_ok(killed_by(status, SIGINT), "^C written to the master kills it with SIGINT (%s)",
           status_text(status, buf, sizeof(buf)));
    drain(m, buf, sizeof(buf), QUIET_MS);
    tap_ok(strcmp(buf, "^C") == 0, "and is echoed as ^C");
}

static int report_winch(int s)
{
    struct winsize ws;
    char line[64];

    set_handler(SIGWINCH, on_winch, 0);
    write(s, "R", 1);
    while (!got_winch)
        pause();
    ioctl(s, TIOCGWINSZ, &ws);
    snprintf(line, sizeof(line), "winch %d %d\n", ws.ws_row, ws.ws_col);
    write(s, line, strlen(line));
    return 0;
}

static void test_winsize(int m, int s)
{
    struct winsize ws = { .ws_row = WIN_ROWS, .ws_col = WIN_COLS };
    pid_t pid = spawn_on(m, s, report_winch);
    int status = 0;

    expect(m, "R");
    tap_ok(ioctl(m, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ on the master");
    tap_ok(expect(m, "winch 30 100"), "the slave's foreground group gets SIGWINCH and sees 30x100");
    wait_child(pid, &status);
    tap_ok(exited_with(status, 0), "the child exits 0");
}

/* The master goes: SIGHUP; reads say end of file (or EIO), writes fail. */
static int await_hangup(int s)
{
    char c;
    ssize_t r;

    set_handler(SIGHUP, on_hup, 0);
    write(s, "R", 1);
    while ((r = read(s, &c, 1)) < 0 && errno == EINTR)
        ;
    if (!got_hup || (r != 0 && !(r < 0 && errno == EIO)))
        return 4;
    if (read(s, &c, 1) != 0)
        return 5;
    return write(s, "x", 1) < 0 && errno == EIO ? 0 : 6;
}

static void test_hangup(void)
{
    int m, s, status = 0;
    pid_t pid;
    char buf[64];

    if (!make_pair(&m, &s))
        return;
    pid = spawn_on(m, s, await_hangup);
    close(s);
    expect(m, "R");
    sleep_ms(QUIET_MS);   /* let it block in read */
    close(m);
    wait_child(pid, &status);
    tap_ok(exited_with(status, 0), "closing the master: SIGHUP, the slave reads 0 and cannot "
           "write (%s)", status_text(status, buf, sizeof(buf)));
}

static void test_slave_closed(void)
{
    int m, s;
    struct pollfd p;
    char c;

    if (!make_pair(&m, &s))
        return;
    write(s, "z", 1);
    close(s);
    p = (struct pollfd){ .fd = m, .events = POLLIN };
    tap_ok(poll(&p, 1, WAIT_MS) == 1 && (p.revents & POLLHUP), "slave closed: POLLHUP on the master");
    tap_ok(read(m, &c, 1) == 1 && c == 'z', "what it wrote can still be read");
    tap_ok(read(m, &c, 1) < 0 && errno == EIO, "then the master reads EIO");
    close(m);
}

/* Write without a reader until the kernel says EAGAIN: the bytes it took. */
static size_t flood(int fd)
{
    static char junk[CHUNK];
    size_t total = 0;

    memset(junk, 'j', sizeof(junk));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    while (total < FLOOD_MAX) {
        ssize_t n = write(fd, junk, sizeof(junk));
        if (n <= 0)
            break;
        total += (size_t)n;
    }
    return errno == EAGAIN ? total : FLOOD_MAX;
}

static void test_bounded(void)
{
    int m, s;
    struct termios t;

    if (!make_pair(&m, &s))
        return;
    tcgetattr(s, &t);
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    tap_ok(flood(m) < FLOOD_MAX, "writing to the master with no reader stops with EAGAIN");
    tap_ok(flood(s) < FLOOD_MAX, "writing to the slave with no reader stops with EAGAIN");
    close(s);
    close(m);
}

static void test_peer(void)
{
#ifdef TIOCGPTPEER
    int m = posix_openpt(O_RDWR | O_NOCTTY), s;
    char name[64] = "";

    unlockpt(m);
    ptsname_r(m, name, sizeof(name));
    s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    tap_ok(s >= 0 && ttyname(s) && strcmp(ttyname(s), name) == 0,
           "TIOCGPTPEER opens the slave");
    if (s >= 0)
        close(s);
    close(m);
#else
    tap_skip("TIOCGPTPEER opens the slave", "not in these headers");
#endif
}

int main(void)
{
    int m, s;

    test_posix_openpt();
    if (make_pair(&m, &s)) {
        test_output(m, s);
        test_canonical(m, s);
        test_eof(m, s);
        test_raw(m, s);
        test_intr(m, s);
        test_winsize(m, s);
        close(s);
        close(m);
    }
    test_hangup();
    test_slave_closed();
    test_bounded();
    test_peer();
    return tap_done();
}
