/* tests/guest/programs/userend.c: user buffers at the very end of user space: the
 * last bytes of the last page are usable, and a buffer or a path that runs past the
 * end gives EFAULT without half-doing the call (the data a failed read would have
 * taken is still there). Raw syscall() so libc cannot help. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "tap.h"
#include "util.h"

#define PAGE 4096ul
#define USER_END 0x00007ffffffff000ul   /* Linux's TASK_SIZE on x86_64, and Anvil's */
#define LAST_PAGE (USER_END - PAGE)
#define TAIL 8                           /* bytes of a buffer inside the last page */
#define CROSS 16                         /* a buffer of which TAIL bytes are inside */
#define WRAP_LEN (SIZE_MAX - PAGE)       /* address + length passes 2^64 */

static const char pipe_data[CROSS] = "sixteen bytes!!";

/* The last page of user space, mapped writable (it may hold the stack already). */
static char *last_page(void)
{
    void *p = mmap((void *)LAST_PAGE, PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

    if (p == (void *)LAST_PAGE)
        return p;
    if (p == MAP_FAILED && errno == EEXIST)
        return (char *)LAST_PAGE;
    if (p != MAP_FAILED)
        munmap(p, PAGE);    /* an old kernel took the address as a hint */
    return NULL;
}

/* A pipe holding data, its write end closed so an emptied pipe reads as EOF. */
static bool pipe_with_data(int *rd)
{
    int fds[2];

    if (pipe(fds) != 0)
        return false;
    if (!write_full(fds[1], pipe_data, sizeof pipe_data)) {
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    close(fds[1]);
    *rd = fds[0];
    return true;
}

/* A read into buf that must be refused (EFAULT, or EINVAL for a length no read can
 * take) before it takes anything: the pipe still holds all its data after it. */
static void read_refused(char *buf, size_t len, bool einval_too, const char *what)
{
    char back[sizeof pipe_data];
    int fd;
    long r;

    if (!tap_ok(pipe_with_data(&fd), "a pipe with data, for: %s", what))
        return;
    r = syscall(SYS_read, fd, buf, (long)len);
    if (!tap_ok(r == -1 && (errno == EFAULT || (einval_too && errno == EINVAL)), "%s", what))
        tap_diag("returned %ld, errno %d (%s)", r, errno, strerror(errno));
    tap_ok(read_full(fd, back, sizeof back) == sizeof back &&
               memcmp(back, pipe_data, sizeof back) == 0,
           "and it took nothing: the pipe still holds all its data");
    close(fd);
}

static void test_reads(char *end)
{
    int fd;

    if (tap_ok(pipe_with_data(&fd), "a pipe with data")) {
        tap_is_long(syscall(SYS_read, fd, end - TAIL, (long)TAIL), TAIL,
                    "read into the last 8 bytes of user space");
        tap_ok(memcmp(end - TAIL, pipe_data, TAIL) == 0, "they hold what was read");
        close(fd);
    }
    read_refused(end - TAIL, CROSS, false, "read into a buffer that runs past the end: EFAULT");
    read_refused((char *)USER_END, 1, false, "read into the first byte past the end: EFAULT");
    read_refused(end - TAIL, WRAP_LEN, true,
                 "a length that wraps past the top of the address space: EFAULT or EINVAL");
}

static void test_writes(char *end)
{
    char back[CROSS];
    int fds[2];

    if (!tap_ok(pipe(fds) == 0, "a pipe to write to"))
        return;
    memcpy(end - TAIL, "lastpage", TAIL);
    tap_is_long(syscall(SYS_write, fds[1], end - TAIL, (long)TAIL), TAIL,
                "write from the last 8 bytes of user space");
    tap_fails_with(syscall(SYS_write, fds[1], end - TAIL, (long)CROSS), EFAULT,
                   "write from a buffer that runs past the end: EFAULT");
    close(fds[1]);
    tap_ok(read_full(fds[0], back, sizeof back) == TAIL && memcmp(back, "lastpage", TAIL) == 0,
           "only the good write reached the pipe");
    close(fds[0]);
}

static void test_paths(char *end)
{
    memcpy(end - 3, "/xy", 3);   /* no NUL before the end */
    tap_fails_with(syscall(SYS_open, end - 3, O_RDONLY, 0), EFAULT,
                   "a path that runs past the end without a NUL: EFAULT");
    memcpy(end - 2, "/", 2);
    tap_ok(syscall(SYS_open, end - 2, O_RDONLY, 0) >= 0, "a path that ends on the last byte opens");
}

int main(void)
{
    char *page = last_page();

    if (!tap_ok(page != NULL, "the last page of user space (0x%lx) can be mapped", LAST_PAGE)) {
        tap_diag("mmap: %s", strerror(errno));
        return tap_done();
    }
    test_reads(page + PAGE);
    test_writes(page + PAGE);
    test_paths(page + PAGE);
    return tap_done();
}
