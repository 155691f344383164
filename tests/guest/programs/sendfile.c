/* tests/guest/programs/sendfile.c: sendfile(2) as Linux has it, which BusyBox
 * cat and cp use: file to file and file to pipe, with the file's own offset
 * or the caller's, short counts at the end of the file, 1 MiB in one call,
 * and bad arguments: EBADF, EFAULT, EINVAL. Files go in /dev/shm (or the
 * folder given). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "tap.h"

#define BIG (1024 * 1024)

static char dir[200] = "/dev/shm";
static unsigned char *pattern;

static int make_file(const char *name, size_t len)
{
    char path[256];
    int fd;

    snprintf(path, sizeof(path), "%s/sendfile-%d-%s", dir, (int)getpid(), name);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path);
    if (fd >= 0 && len && pwrite(fd, pattern, len, 0) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool same_as_pattern(int fd, off_t at, size_t len)
{
    unsigned char *got = malloc(len);
    bool same = got && pread(fd, got, len, 0) == (ssize_t)len && !memcmp(got, pattern + at, len);

    free(got);
    return same;
}

static void file_to_pipe(void)
{
    int in = make_file("pipe-src", 1000), p[2];
    char buf[1000];

    if (!tap_ok(in >= 0 && pipe(p) == 0, "a 1000-byte file and a pipe"))
        return;
    tap_is_long(sendfile(p[1], in, NULL, 600), 600, "600 bytes from the file's offset into a pipe");
    tap_is_long(lseek(in, 0, SEEK_CUR), 600, "the file's offset moved to 600");
    tap_is_long(sendfile(p[1], in, NULL, 600), 400, "the next call stops at the end of the file: 400");
    tap_is_long(sendfile(p[1], in, NULL, 600), 0, "at the end of the file: 0");
    tap_ok(read(p[0], buf, sizeof(buf)) == 1000 && !memcmp(buf, pattern, 1000),
           "the pipe holds the file's 1000 bytes in order");
    close(p[0]);
    close(p[1]);
    close(in);
}

static void file_to_file(void)
{
    int in = make_file("src", BIG), out = make_file("dst", 0);
    off_t off = 100;

    if (!tap_ok(in >= 0 && out >= 0, "a 1 MiB file and an empty one"))
        return;
    tap_is_long(sendfile(out, in, &off, 50), 50, "50 bytes from offset 100 (the caller's offset)");
    tap_is_long(off, 150, "the caller's offset moved to 150");
    tap_is_long(lseek(in, 0, SEEK_CUR), 0, "the source's own offset did not move");
    ftruncate(out, 0);
    lseek(out, 0, SEEK_SET);
    off = 0;
    tap_is_long(sendfile(out, in, &off, BIG), BIG, "1 MiB file to file in one call");
    tap_ok(same_as_pattern(out, 0, BIG), "and the copy is byte for byte the same");
    off = BIG - 10;
    tap_is_long(sendfile(out, in, &off, 100), 10, "from 10 bytes before the end: 10");
    close(in);
    close(out);
}

static void bad_arguments(void)
{
    int in = make_file("bad", 100), out = make_file("bad-out", 0), p[2];
    int wronly = open("/dev/null", O_WRONLY), rdonly = open("/dev/null", O_RDONLY);
    off_t neg = -1;

    if (!tap_ok(in >= 0 && out >= 0 && wronly >= 0 && rdonly >= 0 && pipe(p) == 0, "files to misuse"))
        return;
    tap_fails_with(sendfile(out, 9999, NULL, 10), EBADF, "a closed source: EBADF");
    tap_fails_with(sendfile(9999, in, NULL, 10), EBADF, "a closed destination: EBADF");
    tap_fails_with(sendfile(out, wronly, NULL, 10), EBADF, "a write-only source: EBADF");
    tap_fails_with(sendfile(rdonly, in, NULL, 10), EBADF, "a read-only destination: EBADF");
    tap_fails_with(sendfile(out, in, (off_t *)8, 10), EFAULT, "an offset pointer to nowhere: EFAULT");
    tap_fails_with(sendfile(out, in, &neg, 10), EINVAL, "a negative offset: EINVAL");
    tap_is_long(sendfile(out, in, NULL, 0), 0, "a count of 0: 0");
    tap_is_long(lseek(out, 0, SEEK_END), 0, "and nothing was written");
    close(p[0]);
    close(p[1]);
    close(in);
    close(out);
    close(wronly);
    close(rdonly);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        snprintf(dir, sizeof(dir), "%s", argv[1]);
    pattern = malloc(BIG);
    if (!pattern)
        return 1;
    for (size_t i = 0; i < BIG; i++)
        pattern[i] = (unsigned char)(i * 7 + i / 251);
    file_to_pipe();
    file_to_file();
    bad_arguments();
    free(pattern);
    return tap_done();
}
