/* tests/guest/programs/stdio.c: musl's stdio on top of the kernel's file descriptors:
 * formatted output of integers, floats and strings, fputs and fgets through a pipe,
 * and when buffered output reaches the descriptor (full, line, none, fflush). */
#define _GNU_SOURCE
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

static void check_text(const char *got, const char *want, const char *what)
{
    if (!tap_ok(strcmp(got, want) == 0, "%s", what))
        tap_diag("got '%s', want '%s'", got, want);
}

/* Whether a read on fd would find data right now. */
static bool has_data(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };

    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void test_integer_formats(void)
{
    char buf[160];

    snprintf(buf, sizeof buf, "%d|%5d|%-5d|%05d|%x|%X|%#o|%lld|%u|%+d|%zu", -42, 42, 42, 42,
             255, 255, 8, -9000000000LL, 4000000000u, 7, (size_t)12345);
    check_text(buf, "-42|   42|42   |00042|ff|FF|010|-9000000000|4000000000|+7|12345",
               "snprintf of integers: widths, flags, bases, long long, size_t");
}

static void test_float_formats(void)
{
    char buf[160];
    volatile double third = 1.0 / 3.0;  /* volatile: computed at run time, not folded */

    snprintf(buf, sizeof buf, "%.3f|%e|%g|%g|%.0f|%.2f|%f|%f|%f", 3.14159, 12345.678, 0.0001,
             1e20, 2.5, -0.125, (double)third, (double)INFINITY, (double)-INFINITY);
    check_text(buf, "3.142|1.234568e+04|0.0001|1e+20|2|-0.12|0.333333|inf|-inf",
               "snprintf of doubles: %f %e %g, round-half-even, infinities");

    snprintf(buf, sizeof buf, "%.17g", 0.1);
    if (!tap_ok(strtod(buf, NULL) == 0.1, "%%.17g of 0.1 reads back exactly with strtod"))
        tap_diag("printed '%s'", buf);
}

static void test_string_formats(void)
{
    char buf[160], small[5];
    const char *volatile long_text = "abcdefgh";  /* volatile: truncating it is the point */
    int n;

    snprintf(buf, sizeof buf, "%s|%8s|%-8s|%.3s|%c|%%", "anvil", "anvil", "anvil", "anvil", 'x');
    check_text(buf, "anvil|   anvil|anvil   |anv|x|%", "snprintf of strings and chars");

    n = snprintf(small, sizeof small, "%s", long_text);
    if (!tap_ok(n == 8 && strcmp(small, "abcd") == 0,
                "snprintf truncates to the buffer and returns the full length"))
        tap_diag("returned %d, buffer '%s'", n, small);
}

static void test_sscanf(void)
{
    int a = 0, b = 0;
    double d = 0;
    char word[16] = "";
    int n = sscanf("42 -7 3.5 forge", "%d %d %lf %15s", &a, &b, &d, word);

    tap_ok(n == 4 && a == 42 && b == -7 && d == 3.5 && strcmp(word, "forge") == 0,
           "sscanf reads ints, a double and a word");
}

/* A pipe wrapped in two FILEs, so stdio buffering can be watched at the descriptor. */
struct file_pipe {
    FILE *in, *out;
    int in_fd;
};

static bool open_file_pipe(struct file_pipe *fp)
{
    int fds[2];

    if (pipe(fds) != 0)
        return false;
    fp->in_fd = fds[0];
    fp->in = fdopen(fds[0], "r");
    fp->out = fdopen(fds[1], "w");
    return fp->in && fp->out;
}

static void close_file_pipe(struct file_pipe *fp)
{
    if (fp->out)
        fclose(fp->out);
    if (fp->in)
        fclose(fp->in);
}

static void test_fully_buffered_pipe(void)
{
    struct file_pipe fp = { 0 };
    char line[64];
    bool early, late, lines_ok;

    if (!tap_ok(open_file_pipe(&fp), "pipe wrapped with fdopen for reading and writing")) {
        close_file_pipe(&fp);
        return;
    }
    fprintf(fp.out, "line %d: %s\n", 1, "alpha");
    fputs("a second, longer line\n", fp.out);
    early = has_data(fp.in_fd);   /* a FILE on a pipe is fully buffered */
    fflush(fp.out);
    late = has_data(fp.in_fd);
    tap_ok(!early && late, "fprintf/fputs to a pipe wait in the buffer until fflush");

    lines_ok = fgets(line, sizeof line, fp.in) && strcmp(line, "line 1: alpha\n") == 0;
    lines_ok = lines_ok && fgets(line, 9, fp.in) && strcmp(line, "a second") == 0;
    lines_ok = lines_ok && fgets(line, sizeof line, fp.in) && strcmp(line, ", longer line\n") == 0;
    if (!tap_ok(lines_ok, "fgets reads the lines back, splitting one longer than its buffer"))
        tap_diag("last line read: '%s'", line);

    fclose(fp.out);
    fp.out = NULL;
    tap_ok(fgets(line, sizeof line, fp.in) == NULL && feof(fp.in),
           "fgets returns NULL with EOF set once the writer is closed");
    close_file_pipe(&fp);
}

/* A FILE on a fresh pipe with the given buffering mode (setvbuf must come first). */
static bool open_buffered_pipe(struct file_pipe *fp, int mode)
{
    return open_file_pipe(fp) && setvbuf(fp->out, NULL, mode, 0) == 0;
}

static void test_line_buffered(void)
{
    struct file_pipe fp = { 0 };
    bool partial, after_newline;

    if (!open_buffered_pipe(&fp, _IOLBF)) {
        tap_ok(false, "line-buffered FILE on a pipe");
        close_file_pipe(&fp);
        return;
    }
    fputs("no newline yet", fp.out);
    partial = has_data(fp.in_fd);
    fputs(", now\n", fp.out);
    after_newline = has_data(fp.in_fd);
    tap_ok(!partial && after_newline, "a line-buffered FILE writes when the newline comes");
    close_file_pipe(&fp);
}

static void test_unbuffered(void)
{
    struct file_pipe fp = { 0 };
    bool at_once;

    if (!open_buffered_pipe(&fp, _IONBF)) {
        tap_ok(false, "unbuffered FILE on a pipe");
        close_file_pipe(&fp);
        return;
    }
    fputc('x', fp.out);
    at_once = has_data(fp.in_fd) && fgetc(fp.in) == 'x';
    tap_ok(at_once, "an unbuffered FILE writes each character at once");
    close_file_pipe(&fp);
}

/* Point fd (1 or 2) at a fresh pipe; returns the pipe's read end, or -1. */
static int capture_fd(int fd, int *saved)
{
    int fds[2];

    *saved = dup(fd);
    if (*saved < 0 || pipe(fds) != 0 || dup2(fds[1], fd) != fd)
        return -1;
    close(fds[1]);
    return fds[0];
}

static void restore_fd(int fd, int saved)
{
    dup2(saved, fd);
    close(saved);
}

static void test_stdout_buffering(void)
{
    char got[64] = "";
    int saved, rd;
    bool early;
    size_t n;

    fflush(stdout);
    rd = capture_fd(1, &saved);
    if (rd < 0) {
        tap_ok(false, "stdout redirected into a pipe");
        return;
    }
    printf("hello %d", 42);   /* no newline: buffered whether stdout is a tty or not */
    early = has_data(rd);
    puts(", world");
    fflush(stdout);
    restore_fd(1, saved);
    n = (size_t)read(rd, got, sizeof got - 1);
    got[n < sizeof got ? n : 0] = '\0';
    close(rd);
    tap_ok(!early, "printf output stays in stdout's buffer before fflush");
    check_text(got, "hello 42, world\n", "printf and puts reach fd 1 after fflush");
}

static void test_stderr_unbuffered(void)
{
    char got[32] = "";
    int saved, rd;
    ssize_t n;

    rd = capture_fd(2, &saved);
    if (rd < 0) {
        tap_ok(false, "stderr redirected into a pipe");
        return;
    }
    fprintf(stderr, "err %s", "now");
    n = has_data(rd) ? read(rd, got, sizeof got - 1) : 0;
    restore_fd(2, saved);
    close(rd);
    got[n > 0 ? n : 0] = '\0';
    check_text(got, "err now", "stderr is unbuffered: fprintf reaches fd 2 at once");
}

int main(void)
{
    test_integer_formats();
    test_float_formats();
    test_string_formats();
    test_sscanf();
    test_fully_buffered_pipe();
    test_line_buffered();
    test_unbuffered();
    test_stdout_buffering();
    test_stderr_unbuffered();
    return tap_done();
}
