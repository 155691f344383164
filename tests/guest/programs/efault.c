/* tests/guest/programs/efault.c: bad user pointers give EFAULT and never kill the caller or
 * the kernel: low addresses, the first non-canonical address and the kernel half, both
 * for data the kernel reads and for results it writes. Raw syscall() so libc cannot help. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "tap.h"
#include "util.h"

#define LOW_BYTE ((void *)1)
#define LOW_PAGE ((void *)0x10)
#define NON_CANONICAL ((void *)0x0000800000000000ull)   /* just above the user half */
#define KERNEL_HALF ((void *)0xffff800000000000ull)
#define PIPE_DATA 16
#define DEV_NULL_MAJOR 1      /* Linux devices.txt: 1,3 is /dev/null */
#define DEV_NULL_MINOR 3

static void check_efault(long r, const char *what)
{
    tap_fails_with(r, EFAULT, what);
}

/* A pipe with data waiting, so a read reaches the copy instead of blocking. */
static bool pipe_with_data(int fds[2])
{
    static const char data[PIPE_DATA] = "fifteen bytes..";

    return pipe(fds) == 0 && write_full(fds[1], data, sizeof data);
}

static void test_read_into_bad_buffers(void)
{
    int fds[2];
    char ok_buf[4];

    if (!pipe_with_data(fds)) {
        tap_ok(false, "pipe with data for reads");
        return;
    }
    check_efault(syscall(SYS_read, fds[0], LOW_BYTE, 10), "read into (void *)1: EFAULT");
    check_efault(syscall(SYS_read, fds[0], NON_CANONICAL, 10),
                 "read into the first non-canonical address: EFAULT");
    check_efault(syscall(SYS_read, fds[0], KERNEL_HALF, 10), "read into the kernel half: EFAULT");
    tap_ok(syscall(SYS_read, fds[0], ok_buf, sizeof ok_buf) == (long)sizeof ok_buf,
           "the data is still there for a good buffer afterwards");
    close(fds[0]);
    close(fds[1]);
}

/* A write to /dev/null never touches the buffer, so only there is EFAULT not due. */
static bool stdout_is_dev_null(void)
{
    struct stat st;

    return fstat(1, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == DEV_NULL_MAJOR &&
           minor(st.st_rdev) == DEV_NULL_MINOR;
}

static void test_write_from_bad_buffers(void)
{
    int fds[2];

    if (stdout_is_dev_null())
        tap_skip("write(1, (void *)0x10, 5): EFAULT", "stdout is /dev/null");
    else
        check_efault(syscall(SYS_write, 1, LOW_PAGE, 5), "write(1, (void *)0x10, 5): EFAULT");

    if (pipe(fds) != 0) {
        tap_ok(false, "pipe for writes");
        return;
    }
    check_efault(syscall(SYS_write, fds[1], LOW_PAGE, 5), "write to a pipe from 0x10: EFAULT");
    check_efault(syscall(SYS_write, fds[1], KERNEL_HALF, 5),
                 "write to a pipe from the kernel half: EFAULT");
    close(fds[0]);
    close(fds[1]);
}

static void test_bad_paths(void)
{
    check_efault(syscall(SYS_open, LOW_BYTE, O_RDONLY), "open((char *)1): EFAULT");
    check_efault(syscall(SYS_open, KERNEL_HALF, O_RDONLY), "open of a kernel-half path: EFAULT");
    check_efault(syscall(SYS_openat, AT_FDCWD, NON_CANONICAL, O_RDONLY),
                 "openat of a non-canonical path: EFAULT");
}

/* Calls whose results the kernel writes out. */
static void test_bad_results(void)
{
    check_efault(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, LOW_BYTE),
                 "clock_gettime into (void *)1: EFAULT");
    check_efault(syscall(SYS_uname, KERNEL_HALF), "uname into the kernel half: EFAULT");
    check_efault(syscall(SYS_pipe, LOW_PAGE), "pipe with its fd array at 0x10: EFAULT");
}

int main(void)
{
    test_read_into_bad_buffers();
    test_write_from_bad_buffers();
    test_bad_paths();
    test_bad_results();
    tap_ok(getpid() > 0, "the process is still alive and making system calls");
    return tap_done();
}
