/* kernel/syscall/poll.c: poll, ppoll, select and pselect6. Readiness comes
 * from each file's poll op, except for client handles of user schemes: for
 * each of those one ANVIL_OP_POLL request goes to its daemon per call, and
 * its reply is the fd's readiness (a daemon may hold the request until
 * something is ready). When nothing is ready we sleep on file_poll_chan,
 * which every pipe and console change and every POLL reply wakes, until the
 * deadline; requests still unanswered at the end are forgotten (their late
 * replies are dropped). */
#include "fs/fdtable.h"
#include "ipc/uscheme.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "net/socket.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "syscall/syscall.h"

#define POLL_MAX PROC_FD_MAX
#define FD_SET_BITS 1024
/* A zero timeout still gives daemons this long to answer POLL requests. */
#define POLL_GRACE_NS (10 * 1000000ull)

struct pollfd_k {
    int32_t fd;
    int16_t events, revents;
};

/* One polled fd while polling. */
struct pollent {
    struct file *f;             /* a reference; NULL: a bad or negative fd */
    struct ipc_req *req;        /* its ANVIL_OP_POLL request, or NULL */
};

static void poll_begin(const struct pollfd_k *fds, struct pollent *ents, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned want = (uint16_t)fds[i].events & (POLLIN | POLLOUT);
        ents[i].f = fds[i].fd < 0 ? NULL : fd_get(proc_current(), fds[i].fd);
        ents[i].req = ents[i].f && want ? uscheme_poll_send(socket_poll_file(ents[i].f), want) : NULL;
    }
}

static void poll_end(struct pollent *ents, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ents[i].req)
            uscheme_poll_cancel(ents[i].req);
        if (ents[i].f)
            file_put(ents[i].f);
    }
}

/* Fill revents; the count of ready fds. *waiting: a POLL request is unanswered. */
static long scan(struct pollfd_k *fds, const struct pollent *ents, size_t n, bool *waiting)
{
    long count = 0;

    *waiting = false;
    for (size_t i = 0; i < n; i++) {
        unsigned r;
        if (fds[i].fd < 0)
            r = 0;
        else if (!ents[i].f)
            r = POLLNVAL;
        else if (ents[i].req) {
            if (!uscheme_poll_answered(ents[i].req, &r)) {
                *waiting = true;
                r = 0;
            }
        } else
            r = ents[i].f->ops->poll ? ents[i].f->ops->poll(ents[i].f) : (POLLIN | POLLOUT);
        r &= (uint16_t)fds[i].events | POLLHUP | POLLERR | POLLNVAL;
        fds[i].revents = (int16_t)r;
        if (r)
            count++;
    }
    return count;
}

/* Wait for readiness of fds[0..n) (deadline: 0 waits forever; UINT64_MAX
 * does not wait beyond the grace for POLL replies): the count or -errno. */
static long poll_wait(struct pollfd_k *fds, size_t n, uint64_t deadline)
{
    struct pollent *ents = kmalloc(n * sizeof(*ents) + 1);
    uint64_t until = deadline;
    bool waiting;
    long count;

    if (!ents)
        return -ENOMEM;
    poll_begin(fds, ents, n);
    while ((count = scan(fds, ents, n, &waiting)) == 0) {
        if (deadline == UINT64_MAX) {
            if (!waiting)
                break;
            if (until == UINT64_MAX)
                until = clock_monotonic_ns() + POLL_GRACE_NS;
        }
        int err = sched_sleep(&file_poll_chan, until, true);
        if (err == -ETIMEDOUT)
            break;
        if (err) {
            count = err;
            break;
        }
    }
    poll_end(ents, n);
    kfree(ents);
    return count;
}

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
    count = poll_wait(fds, n, deadline);
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

/* select over fd_sets, through the same wait as poll: each fd in a set is
 * one pollfd; readable means POLLIN, POLLHUP or POLLERR, writable likewise. */
static long do_select(int nfds, uintptr_t urd, uintptr_t uwr, uintptr_t uex, uint64_t deadline)
{
    uint64_t in[2][FD_SET_BITS / 64] = {{0}}, out[2][FD_SET_BITS / 64];
    size_t bytes = ((size_t)nfds + 63) / 64 * 8, n = 0;
    struct pollfd_k *fds;
    long count, bits = 0;

    if (nfds < 0 || nfds > FD_SET_BITS)
        return -EINVAL;
    if ((urd && copy_from_user(in[0], urd, bytes) < 0) || (uwr && copy_from_user(in[1], uwr, bytes) < 0))
        return -EFAULT;
    if (!(fds = kmalloc((size_t)nfds * sizeof(*fds) + 1)))
        return -ENOMEM;
    for (int fd = 0; fd < nfds; fd++) {
        int16_t ev = 0;
        for (int k = 0; k < 2; k++)
            if (in[k][fd / 64] & (1ull << (fd % 64)))
                ev |= k ? POLLOUT : POLLIN;
        if (ev)
            fds[n++] = (struct pollfd_k){.fd = fd, .events = ev};
    }
    count = poll_wait(fds, n, deadline);
    memset(out, 0, sizeof(out));
    for (size_t i = 0; i < n && count > 0; i++) {
        unsigned r = (uint16_t)fds[i].revents;
        int fd = fds[i].fd;
        if (r & POLLNVAL) {
            count = -EBADF;
            break;
        }
        for (int k = 0; k < 2; k++) {
            unsigned want = (k ? POLLOUT : POLLIN) | POLLHUP | POLLERR;
            if ((fds[i].events & (k ? POLLOUT : POLLIN)) && (r & want)) {
                out[k][fd / 64] |= 1ull << (fd % 64);
                bits++;
            }
        }
    }
    kfree(fds);
    if (count < 0)
        return count;
    count = bits;
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
