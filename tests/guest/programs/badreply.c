/* tests/guest/programs/badreply.c: a daemon that lies. It registers the
 * scheme t-bad and answers the file ops with results and window contents no
 * honest daemon gives (a "handle" that is a negative non-errno, more bytes
 * than the window holds, stat fields full of ones, an executable whose size
 * and reads disagree); every call must fail cleanly or return clamped values,
 * and the kernel must stay up. Anvil only (regress_daemon_reply, issue 11
 * findings 1 and 2): skipped on a host. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../../../include/anvil/scheme.h"

#include "tap.h"
#include "util.h"

#define PAGE 4096
#define ELF_SIZE_CLAIM 100          /* FSTAT's size for "exe"; reads give a whole window */
#define HUGE_HANDLE 0xffffffff00000000ull

static char *win(const struct anvil_packet *p)
{
    return (char *)(uintptr_t)p->arg[0];
}

/* The lie for each request, by path (opens) or by op. */
static void answer(int fd, struct anvil_packet *p)
{
    switch (p->op) {
    case ANVIL_OP_OPEN:
        p->result = strcmp(win(p), "huge") == 0 ? (int64_t)HUGE_HANDLE
                  : strcmp(win(p), "neg") == 0 ? -100000 : strcmp(win(p), "exe") == 0 ? 2 : 1;
        break;
    case ANVIL_OP_READ:
        memset(win(p), 'x', p->arg[1]);
        p->result = (int64_t)p->arg[1] + (p->handle == 2 ? 0 : 100);   /* more than asked */
        break;
    case ANVIL_OP_FSTAT:
        memset(win(p), 0xff, p->arg[1]);
        if (p->handle == 2) {
            struct anvil_stat *st = (void *)win(p);
            st->mode = S_IFREG | 0755;
            st->size = ELF_SIZE_CLAIM;
        }
        p->result = 0;
        break;
    case ANVIL_OP_STAT:
        p->result = -5000;   /* not an errno */
        break;
    case ANVIL_OP_READLINK:
        p->result = (int64_t)p->arg[1] + 1;
        break;
    case ANVIL_OP_GETDENTS:
        p->result = 64;      /* records that are not there */
        break;
    default:
        p->result = 0;
    }
    write(fd, p, sizeof(*p));
}

static void daemon_loop(int fd)
{
    struct anvil_packet p;

    while (read(fd, &p, sizeof(p)) == sizeof(p))
        answer(fd, &p);
    _exit(0);
}

static void check_lies(void)
{
    struct stat st;
    char buf[64];
    void *m;
    int fd;

    tap_fails_with(open("t-bad:huge", O_RDONLY), EIO, "an OPEN result that is no handle is EIO");
    tap_fails_with(open("t-bad:neg", O_RDONLY), EIO, "a negative result that is no errno is EIO");
    fd = open("t-bad:file", O_RDONLY);
    tap_ok(fd >= 0, "an ordinary open");
    tap_fails_with(read(fd, buf, sizeof(buf)), EIO, "a READ claiming more than its window is EIO");
    tap_ok(fstat(fd, &st) == 0 && st.st_size == INT64_MAX && st.st_mtim.tv_nsec <= 999999999 &&
           st.st_atim.tv_nsec <= 999999999, "FSTAT garbage is clamped");
    tap_fails_with(syscall(SYS_getdents64, fd, buf, 0), EIO,
                   "getdents64 with no room and a positive reply is EIO");
    m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    tap_fails_with(m == MAP_FAILED ? -1 : 0, EIO, "mmap of such a file fails with EIO");
    close(fd);
    tap_fails_with(stat("t-bad:file", &st), EIO, "a STAT result that is no errno is EIO");
    tap_fails_with(readlink("t-bad:file", buf, sizeof(buf)), EIO, "READLINK past its window is EIO");
    tap_fails_with(execl("t-bad:exe", "exe", (char *)NULL), ENOEXEC,
                   "exec of garbage a daemon serves: ENOEXEC");
}

int main(void)
{
    int fd, status;
    pid_t d;

    if (access("sys:uname", F_OK) != 0 || (fd = open(":t-bad", O_CREAT | O_RDWR)) < 0) {
        tap_skip("a lying daemon", "no user schemes here");
        return tap_done();
    }
    if ((d = fork()) == 0)
        daemon_loop(fd);
    close(fd);
    check_lies();
    kill(d, SIGKILL);
    wait_child(d, &status);
    return tap_done();
}
