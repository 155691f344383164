/* kernel/syscall/poll.c: poll, ppoll and select. Readiness comes from each
 * file's poll op; when nothing is ready we sleep on file_poll_chan, which
 * every pipe and console change wakes, until the deadline. */
#include "fs/fdtable.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "syscall/syscall.h"

#define POLL_MAX PROC_FD_MAX
#define FD_SET_BITS 1024

struct pollfd_k {
    int32_t fd;
    int16_t events, revents;
};

static unsigned ready(int fd, unsigned events)
{
    struct file *f = fd_get(proc_current(), fd);
    unsigned r;

    if (!f)
        return POLLNVAL;
    r = f->ops->poll ? f->ops->poll(f) : (POLLIN | POLLOUT);
    file_put(f);
    return r & (events | POLLHUP | POLLERR | POLLNVAL);
}

static long scan(struct pollfd_k *fds, size_t n)
{
    long count = 0;

    for (size_t i = 0; i < n; i++) {
        fds[i].revents = fds[i].fd < 0 ? 0 : (int16_t)ready(fds[i].fd, (uint16_t)fds[i].events);
        if (fds[i].revents)
            count++;
    }
    return count;
}

/* deadline: 0 waits forever; UINT64_MAX does not wait. */
static long do_poll(uintptr_t ufds, size_t n, uint64_t deadline)
{
    struct pollfd_k *fds;
    long count;

    if (n > POLL_MAX)
        return -EINVAL;
    fds = kmalloc(n * sizeof(*fds) + 1);
    if (!fds)
        return -ENOMEM;
    if (copy_from_user(fds, ufds, n * sizeof(*fds)) < 0) {
        kfree(fds);
        return -EFAULT;
    }
    while ((count = scan(fds, n)) == 0 && deadline != UINT64_MAX) {
        int err = sched_sleep(&file_poll_chan, deadline, true);
        if (err == -ETIMEDOUT)
            break;
        if (err) {
            count = err;
            break;
        }
    }
    if (count >= 0 && copy_to_user(ufds, fds, n * sizeof(*fds)) < 0)
        count = -EFAULT;
    kfree(fds);
    return count;
}

static uint64_t deadline_ms(int ms)
{
    if (ms < 0)
        return 0;
    if (ms == 0)
        return UINT64_MAX;
    return clock_monotonic_ns() + (uint64_t)ms * 1000000;
}

/* A user timespec as a deadline; 0 for a NULL pointer (forever). */
static int deadline_ts(uintptr_t uts, uint64_t *out)
{
    int64_t ns;
    int err;

    *out = 0;
    if (!uts)
        return 0;
    err = syscall_get_timespec(uts, &ns);
    if (err < 0 || ns == SYSCALL_NS_FOREVER)
        return err;
    *out = ns == 0 ? UINT64_MAX : clock_monotonic_ns() + (uint64_t)ns;
    return 0;
}

long sys_poll(SYSCALL_ARGS)
{
    return do_poll(a0, a1, deadline_ms((int)a2));
}

long sys_ppoll(SYSCALL_ARGS)
{
    uint64_t deadline;
    int err = deadline_ts(a2, &deadline);

    return err ? err : do_poll(a0, a1, deadline);
}

/* select over fd_sets, through the same readiness test. */
static long do_select(int nfds, uintptr_t urd, uintptr_t uwr, uintptr_t uex, uint64_t deadline)
{
    uint64_t in[2][FD_SET_BITS / 64] = {{0}}, out[2][FD_SET_BITS / 64];
    size_t bytes = ((size_t)nfds + 63) / 64 * 8;
    long count;

    if (nfds < 0 || nfds > FD_SET_BITS)
        return -EINVAL;
    if ((urd && copy_from_user(in[0], urd, bytes) < 0) || (uwr && copy_from_user(in[1], uwr, bytes) < 0))
        return -EFAULT;
    for (;;) {
        count = 0;
        memset(out, 0, sizeof(out));
        for (int fd = 0; fd < nfds; fd++) {
            for (int k = 0; k < 2; k++) {
                if (!(in[k][fd / 64] & (1ull << (fd % 64))))
                    continue;
                unsigned r = ready(fd, k ? POLLOUT : POLLIN);
                if (r & POLLNVAL)
                    return -EBADF;
                if (r) {
                    out[k][fd / 64] |= 1ull << (fd % 64);
                    count++;
                }
            }
        }
        if (count || deadline == UINT64_MAX)
            break;
        int err = sched_sleep(&file_poll_chan, deadline, true);
        if (err == -ETIMEDOUT)
            break;
        if (err)
            return err;
    }
    if ((urd && copy_to_user(urd, out[0], bytes) < 0) || (uwr && copy_to_user(uwr, out[1], bytes) < 0) ||
        (uex && clear_user(uex, bytes) < 0))
        return -EFAULT;
    return count;
}

long sys_select(SYSCALL_ARGS)
{
    int64_t tv[2];
    uint64_t deadline = 0;

    if (a4) {
        if (copy_from_user(tv, a4, sizeof(tv)) < 0)
            return -EFAULT;
        if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
            return -EINVAL;
        if (tv[0] > INT64_MAX / NSEC_PER_SEC / 4)
            tv[0] = INT64_MAX / NSEC_PER_SEC / 4;
        deadline = tv[0] == 0 && tv[1] == 0 ? UINT64_MAX
                                            : clock_monotonic_ns() + (uint64_t)tv[0] * NSEC_PER_SEC + (uint64_t)tv[1] * 1000;
    }
    return do_select((int)a0, a1, a2, a3, deadline);
}

long sys_pselect6(SYSCALL_ARGS)
{
    uint64_t deadline;
    int err = deadline_ts(a4, &deadline);

    return err ? err : do_select((int)a0, a1, a2, a3, deadline);
}
