/* tests/guest/programs/tty.c: the terminal on standard input as POSIX and Linux define it:
 * termios round trip, canonical editing and raw reads with VMIN/VTIME (input pushed with
 * TIOCSTI), ^C and ^Z as signals to the foreground group, tcgetpgrp/tcsetpgrp and SIGTTOU,
 * SIGTTIN and TOSTOP for a background group, the window size and SIGWINCH, /dev/tty.
 * Runs only when stdin is a terminal; without a controlling terminal it makes a session of
 * its own that takes stdin as one (as a login does). */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "tap.h"
#include "util.h"

#define QUIET_MS 100
#define VTIME_DECISECONDS 2
#define SAFETY_ALARM_S 5

static volatile sig_atomic_t got_int, got_tstp, got_winch, got_alarm;

static void on_int(int sig) { (void)sig; got_int++; }
static void on_tstp(int sig) { (void)sig; got_tstp++; }
static void on_winch(int sig) { (void)sig; got_winch++; }
static void on_alarm(int sig) { (void)sig; got_alarm++; }

/* Type s on the terminal as if from the keyboard; false if TIOCSTI is not allowed. */
static bool push(const char *s)
{
    for (; *s; s++)
        if (ioctl(0, TIOCSTI, s) != 0)
            return false;
    return true;
}

static struct termios saved;

static void set_mode(bool canon, int vmin, int vtime)
{
    struct termios t = saved;

    t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL | ICANON);
    if (canon)
        t.c_lflag |= ICANON;
    t.c_lflag |= ISIG;
    t.c_cc[VMIN] = (cc_t)vmin;
    t.c_cc[VTIME] = (cc_t)vtime;
    tcsetattr(0, TCSAFLUSH, &t);
}

static void test_termios(void)
{
    struct termios t, back;

    tap_ok(tcgetattr(0, &saved) == 0, "tcgetattr");
    t = saved;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 7;
    tap_ok(tcsetattr(0, TCSANOW, &t) == 0 && tcgetattr(0, &back) == 0 &&
           back.c_lflag == t.c_lflag && back.c_iflag == t.c_iflag && back.c_oflag == t.c_oflag &&
           back.c_cc[VMIN] == 3 && back.c_cc[VTIME] == 7,
           "tcsetattr then tcgetattr: the same flags and c_cc");
    tcsetattr(0, TCSANOW, &saved);
    tap_ok(tcgetattr(0, &back) == 0 && back.c_lflag == saved.c_lflag, "and restored");
}

/* IUTF8: one erase takes back a whole UTF-8 character ("\xc3\xa9" is e acute). */
static void utf8_erase(void)
{
    struct termios t;
    char buf[16];
    ssize_t n;

    tcgetattr(0, &t);
    t.c_iflag |= IUTF8;
    tcsetattr(0, TCSANOW, &t);
    push("a\xc3\xa9\177\n");
    n = read(0, buf, sizeof buf);
    tap_ok(n == 2 && memcmp(buf, "a\n", 2) == 0, "IUTF8: erase takes back a two-byte character");
    t.c_iflag &= ~(tcflag_t)IUTF8;
    tcsetattr(0, TCSANOW, &t);
}

static void test_canonical(void)
{
    char buf[64] = {0};
    ssize_t n;
    int avail = -1;

    set_mode(true, 1, 0);
    if (!push("ab\177c\n")) {
        tap_skip("canonical input with TIOCSTI", "TIOCSTI not allowed here");
        return;
    }
    ioctl(0, FIONREAD, &avail);
    tap_is_long(avail, 3, "FIONREAD counts the finished line");
    n = read(0, buf, sizeof buf - 1);
    tap_ok(n == 3 && memcmp(buf, "ac\n", 3) == 0, "canonical: erase (DEL) takes back a character");
    push("one two\027three\n");
    n = read(0, buf, sizeof buf - 1);
    tap_ok(n == 10 && memcmp(buf, "one three\n", 10) == 0, "VWERASE (^W) takes back a word");
    push("gone\025kept\n");
    n = read(0, buf, sizeof buf - 1);
    tap_ok(n == 5 && memcmp(buf, "kept\n", 5) == 0, "VKILL (^U) takes back the line");
    push("x\004");
    n = read(0, buf, sizeof buf - 1);
    tap_ok(n == 1 && buf[0] == 'x', "VEOF (^D) after text ends the line without a newline");
    push("\004");
    tap_is_long(read(0, buf, sizeof buf - 1), 0, "VEOF (^D) at the start of a line: end of file");
    push("a\rb\n");
    n = read(0, buf, sizeof buf - 1);
    tap_ok(n == 2 && memcmp(buf, "a\n", 2) == 0, "ICRNL: CR ends a line as NL");
    read(0, buf, sizeof buf - 1);
    utf8_erase();
}

static void test_raw(void)
{
    char buf[16] = {0};
    uint64_t t0;
    ssize_t n;
    struct pollfd p = { .fd = 0, .events = POLLIN };

    set_mode(false, 0, 0);
    tap_is_long(read(0, buf, sizeof buf), 0, "raw, VMIN 0 VTIME 0, nothing typed: read returns 0");
    set_mode(false, 0, VTIME_DECISECONDS);
    t0 = mono_ns();
    n = read(0, buf, sizeof buf);
    tap_ok(n == 0 && mono_ns() - t0 >= 150 * NS_PER_MS, "VMIN 0 VTIME 2: 0 after about 0.2 s");
    set_mode(false, 3, 0);
    if (!push("xy")) {
        tap_skip("raw reads with VMIN", "TIOCSTI not allowed here");
        return;
    }
    tap_is_long(poll(&p, 1, 0), 0, "VMIN 3, two typed: poll says not readable");
    push("z");
    n = read(0, buf, sizeof buf);
    tap_ok(n == 3 && memcmp(buf, "xyz", 3) == 0, "VMIN 3: the read returns the three characters");
    set_mode(false, 1, 0);
    push("q");
    tap_ok(poll(&p, 1, 0) == 1 && (p.revents & POLLIN), "poll in raw mode sees typed input");
    n = read(0, buf, sizeof buf);
    tap_ok(n == 1 && buf[0] == 'q', "VMIN 1: a single character");
    set_handler(SIGALRM, on_alarm, 0);
    got_alarm = 0;
    alarm(1);
    n = read(0, buf, sizeof buf);
    alarm(0);
    tap_ok(n == -1 && errno == EINTR && got_alarm, "VMIN 1 with nothing typed blocks (until a signal)");
}

/* A signal character also flushes the output not yet sent (Linux), so the results are
 * printed after the last one, once what was printed before has had time to leave. */
static void test_signals(void)
{
    int avail = -1, ints, tstps;
    char buf[16];
    ssize_t n;

    set_mode(true, 1, 0);
    set_handler(SIGINT, on_int, 0);
    set_handler(SIGTSTP, on_tstp, 0);
    sleep_ms(QUIET_MS);
    if (!push("left\003")) {
        tap_skip("^C and ^Z", "TIOCSTI not allowed here");
        return;
    }
    ints = got_int;
    push("\032");
    tstps = got_tstp;
    ioctl(0, FIONREAD, &avail);
    push("\n");
    n = read(0, buf, sizeof buf);
    tap_ok(ints == 1, "VINTR (^C) sends SIGINT to the foreground group");
    tap_ok(tstps == 1, "VSUSP (^Z) sends SIGTSTP");
    tap_ok(avail == 0 && n == 1 && buf[0] == '\n', "and the signal flushed what was typed");
    signal(SIGINT, SIG_DFL);
    signal(SIGTSTP, SIG_DFL);
}

static void test_winsize(void)
{
    struct winsize ws, old, back;

    tap_ok(ioctl(0, TIOCGWINSZ, &old) == 0, "TIOCGWINSZ");
    set_handler(SIGWINCH, on_winch, 0);
    ws = old;
    ws.ws_row = (unsigned short)(old.ws_row + 1);
    tap_ok(ioctl(0, TIOCSWINSZ, &ws) == 0 && ioctl(0, TIOCGWINSZ, &back) == 0 &&
           back.ws_row == ws.ws_row, "TIOCSWINSZ sets it");
    for (int ms = 0; ms < 1000 && !got_winch; ms += 10)
        sleep_ms(10);
    tap_ok(got_winch == 1, "a change sends SIGWINCH to the foreground group");
    ioctl(0, TIOCSWINSZ, &old);
    signal(SIGWINCH, SIG_DFL);
}

/* A child in a background group of our session: what the terminal does to it. */
static int in_background(void (*fn)(void))
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        setpgid(0, 0);
        fn();
        _exit(0);
    }
    setpgid(pid, pid);
    if (waitpid(pid, &st, WUNTRACED) != pid)
        return -1;
    if (WIFSTOPPED(st)) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    return st;
}

static void bg_tcsetpgrp(void)
{
    tcsetpgrp(0, getpgrp());
}

static void bg_tcsetpgrp_ignored(void)
{
    signal(SIGTTOU, SIG_IGN);
    _exit(tcsetpgrp(0, getpgrp()) == 0 && tcgetpgrp(0) == getpgrp() ? 0 : 1);
}

static void bg_read(void)
{
    char c;

    read(0, &c, 1);
}

static void bg_read_ignored(void)
{
    char c;

    signal(SIGTTIN, SIG_IGN);
    _exit(read(0, &c, 1) == -1 && errno == EIO ? 0 : 1);
}

static void bg_write_tostop(void)
{
    write(0, "!", 1);
}

static void test_job_control(void)
{
    struct termios t;
    int st;

    tap_is_long(tcgetpgrp(0), getpgrp(), "tcgetpgrp is our group: we are the foreground");
    tap_is_long(tcgetsid(0), getsid(0), "tcgetsid is our session");
    st = in_background(bg_tcsetpgrp);
    tap_ok(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU, "tcsetpgrp from a background group: SIGTTOU stops it");
    st = in_background(bg_tcsetpgrp_ignored);
    tap_ok(exited_with(st, 0), "with SIGTTOU ignored tcsetpgrp works");
    signal(SIGTTOU, SIG_IGN);
    tap_ok(tcsetpgrp(0, getpgrp()) == 0 && tcgetpgrp(0) == getpgrp(), "and we take the foreground back");
    signal(SIGTTOU, SIG_DFL);
    st = in_background(bg_read);
    tap_ok(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN, "a background read: SIGTTIN stops it");
    st = in_background(bg_read_ignored);
    tap_ok(exited_with(st, 0), "a background read with SIGTTIN ignored: EIO");
    tcgetattr(0, &t);
    t.c_lflag |= TOSTOP;
    tcsetattr(0, TCSANOW, &t);
    st = in_background(bg_write_tostop);
    tap_ok(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU, "a background write with TOSTOP: SIGTTOU stops it");
    t.c_lflag &= ~(tcflag_t)TOSTOP;
    tcsetattr(0, TCSANOW, &t);
}

static void test_dev_tty(void)
{
    int fd = open("/dev/tty", O_RDWR);
    struct termios t;

    tap_ok(fd >= 0 && isatty(fd) && tcgetattr(fd, &t) == 0, "/dev/tty opens our controlling terminal");
    if (fd >= 0)
        close(fd);
}

/* In a new session: no /dev/tty, and our terminal (another session's) is not taken by
 * an open without O_NOCTTY nor by TIOCSCTTY without stealing. */
static int other_session(void)
{
    const char *name = ttyname(0);
    int fd;

    setsid();
    if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
        return 1;
    fd = open(name ? name : "/dev/console", O_RDWR);
    if (fd < 0)
        return 0;   /* not reachable by name here: nothing more to check */
    if (tcgetsid(fd) != -1 || errno != ENOTTY)
        return 2;
    if (ioctl(fd, TIOCSCTTY, 0) != -1 || errno != EPERM)
        return 3;
    return 0;
}

static int run_tests(void)
{
    pid_t pid;
    int st;

    alarm(60);   /* never hang a test run on a terminal that misbehaves */
    test_termios();
    test_job_control();
    test_canonical();
    test_raw();
    test_signals();
    test_winsize();
    test_dev_tty();
    pid = fork();
    if (pid == 0)
        _exit(other_session());
    st = -1;
    wait_child(pid, &st);
    tap_ok(exited_with(st, 0), "a new session: /dev/tty is ENXIO; another session's terminal "
           "is not taken by open or TIOCSCTTY (EPERM)");
    tcsetattr(0, TCSAFLUSH, &saved);
    return tap_done();
}

/* Become the foreground of our own session on stdin, as a login shell would be. */
static bool own_terminal(void)
{
    if (tcgetsid(0) == getsid(0)) {
        signal(SIGTTOU, SIG_IGN);
        bool ok = tcsetpgrp(0, getpgrp()) == 0;
        signal(SIGTTOU, SIG_DFL);
        return ok;
    }
    return setsid() >= 0 && ioctl(0, TIOCSCTTY, 0) == 0;
}

int main(void)
{
    pid_t pid, old_fg = -1;
    int st;

    if (!isatty(0)) {
        tap_skip("terminal tests", "stdin is not a terminal");
        return tap_done();
    }
    if (tcgetsid(0) == getsid(0)) {
        old_fg = tcgetpgrp(0);
        if (!own_terminal())
            return tap_ok(false, "take the foreground of our terminal"), tap_done();
        st = run_tests();
        signal(SIGTTOU, SIG_IGN);
        tcsetpgrp(0, old_fg);
        return st;
    }
    pid = fork();   /* a session leader must not be a group leader: a child makes it */
    if (pid == 0) {
        if (!own_terminal()) {
            tap_ok(false, "a session of our own with stdin as its controlling terminal");
            _exit(tap_done());
        }
        _exit(run_tests());
    }
    st = -1;
    wait_child(pid, &st);
    return exited_with(st, 0) ? 0 : 1;
}
