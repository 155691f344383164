/* tests/guest/programs/enosys.c: system call numbers the kernel lacks return -1 with errno
 * ENOSYS and the process carries on. Only numbers far above Linux's highest call (under 500),
 * never gaps in its table (some hosts put private calls there), so Linux agrees. */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

struct unknown_call {
    long nr;
    const char *what;
};

static const struct unknown_call unknown_calls[] = {
    { 1000, "syscall(1000)" },
    { 5000, "syscall(5000)" },
    { 0x7fffffffL, "syscall(0x7fffffff)" },
    { -1, "syscall(-1)" },
};

int main(void)
{
    size_t n = sizeof unknown_calls / sizeof unknown_calls[0];
    char what[64];

    for (size_t i = 0; i < n; i++) {
        errno = 0;
        long r = syscall(unknown_calls[i].nr, 1, 2, 3, 4, 5, 6);
        snprintf(what, sizeof what, "%s returns -1 with ENOSYS", unknown_calls[i].what);
        tap_fails_with(r, ENOSYS, what);
    }
    tap_ok(syscall(SYS_getpid) == getpid(), "a known call (getpid) still works afterwards");
    return tap_done();
}
