/* tests/guest/programs/logd.c: the log: scheme (services/logd): lines written
 * come back stamped with this process's pid, partial lines wait for their
 * newline or close, a reader sees lines written after it opened, and the ring
 * stays bounded. Anvil only: without a log: scheme it skips everything. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#define RING_MAX (64 << 10)
#define BULK_LINES 1600          /* 1600 lines of 64 bytes: 100 KiB */
#define BULK_LINE_LEN 64
#define BULK_CHUNK_LINES 64      /* lines per write */

static char buf[256 << 10];

/* Read fd to its end into buf (NUL-terminated): the bytes read, or -1. */
static long slurp_fd(int fd)
{
    long total = 0;
    ssize_t n;

    while ((n = read(fd, buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
        total += n;
    buf[total] = '\0';
    return n < 0 ? -1 : total;
}

/* Open log:, read it all and close it: the bytes read, or -1. */
static long slurp_log(void)
{
    int fd = open("log:", O_RDONLY);
    long n;

    if (fd < 0)
        return -1;
    n = slurp_fd(fd);
    close(fd);
    return n;
}

/* Does buf hold the whole line "[SECONDS.MILLIS] pid <ours>: text"? */
static bool has_line(const char *text)
{
    char needle[256];
    const char *at, *start;
    long sec, ms;

    snprintf(needle, sizeof(needle), "] pid %d: %s\n", (int)getpid(), text);
    if (!(at = strstr(buf, needle)))
        return false;
    for (start = at; start > buf && start[-1] != '\n'; start--)
        ;
    return sscanf(start, "[%ld.%ld]", &sec, &ms) == 2 && ms < 1000;
}

static bool write_str(int fd, const char *s)
{
    return write(fd, s, strlen(s)) == (ssize_t)strlen(s);
}

static void test_lines(int fd)
{
    struct stat st;

    tap_ok(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode), "fstat says a character device");
    tap_ok(write_str(fd, "logd test: first line\n"), "write a line");
    tap_ok(write_str(fd, "logd test: second ") && write_str(fd, "line\n"),
           "write a line in two pieces");
    close(fd);
    tap_ok(slurp_log() > 0, "a new handle reads the ring");
    if (!tap_ok(has_line("logd test: first line"), "the first line is there, stamped with our pid"))
        tap_diag("read: %.300s", buf);
    tap_ok(has_line("logd test: second line"), "the pieces came back as one stamped line");
}

static void test_follow(void)
{
    int r = open("log:", O_RDONLY), w = open("log:", O_WRONLY);

    if (!tap_ok(r >= 0 && w >= 0, "open a reader and a writer"))
        return;
    tap_ok(slurp_fd(r) > 0, "the reader reads to the end of the ring");
    tap_ok(write_str(w, "logd test: later line\n") && slurp_fd(r) > 0 &&
           has_line("logd test: later line") && strchr(buf, '\n') == buf + strlen(buf) - 1,
           "it then sees exactly the line written after it");
    tap_ok(write_str(w, "logd test: partial") && slurp_fd(r) == 0,
           "a line without its newline is held back");
    close(w);
    tap_ok(slurp_fd(r) > 0 && has_line("logd test: partial"), "closing the writer lets it out");
    close(r);
}

/* Bulk line i, BULK_LINE_LEN bytes with its newline: "logd bulk 00042 xxx...\n". */
static void bulk_line(char *out, int i)
{
    snprintf(out, BULK_LINE_LEN, "logd bulk %05d ", i);
    memset(out + 16, 'x', BULK_LINE_LEN - 17);
    out[BULK_LINE_LEN - 1] = '\n';
}

/* Write BULK_LINES lines, BULK_CHUNK_LINES per write. */
static bool write_bulk(int fd)
{
    char chunk[BULK_CHUNK_LINES * BULK_LINE_LEN];

    for (int i = 0; i < BULK_LINES; i += BULK_CHUNK_LINES) {
        for (int j = 0; j < BULK_CHUNK_LINES; j++)
            bulk_line(chunk + j * BULK_LINE_LEN, i + j);
        if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
            return false;
    }
    return true;
}

/* A reader that fell behind, then a new one: both get at most the ring. */
static void test_bounded(void)
{
    int behind = open("log:", O_RDONLY), fd = open("log:", O_WRONLY);
    char last[BULK_LINE_LEN + 1];
    long n;

    if (!tap_ok(behind >= 0 && fd >= 0 && write_bulk(fd), "write 100 KiB of lines"))
        return;
    close(fd);
    n = slurp_fd(behind);
    close(behind);
    tap_ok(n > 0 && n <= RING_MAX && buf[0] == '[',
           "a reader left behind skips to the oldest line kept");
    n = slurp_log();
    if (!tap_ok(n > RING_MAX / 2 && n <= RING_MAX, "reading returns at most the ring size"))
        tap_diag("read %ld bytes", n);
    tap_ok(n > 0 && buf[0] == '[', "it starts at a whole line");
    bulk_line(last, BULK_LINES - 1);
    last[BULK_LINE_LEN] = '\0';
    if (!tap_ok(n > BULK_LINE_LEN && strcmp(buf + n - BULK_LINE_LEN, last) == 0,
                "and ends with the newest line"))
        tap_diag("ends: %s", n > 80 ? buf + n - 80 : buf);
    last[BULK_LINE_LEN - 1] = '\0';
    tap_ok(has_line(last), "stamped with our pid");
}

int main(void)
{
    int fd = open("log:", O_RDWR);

    if (fd < 0 && (errno == ENOENT || errno == ENODEV)) {
        printf("1..0 # SKIP no log: scheme\n");
        return 0;
    }
    if (!tap_ok(fd >= 0, "open log:")) {
        tap_diag("open: %s", strerror(errno));
        return tap_done();
    }
    test_lines(fd);
    test_follow();
    test_bounded();
    return tap_done();
}
