/* kernel/proc/futex.c: futexes. Resolving the word for writing first
 * breaks copy-on-write, so waiter and waker agree on the physical page. */
#include "lib/errno.h"
#include "mm/vm.h"
#include "proc/futex.h"
#include "sched/sched.h"

static uint32_t *word(uintptr_t uaddr)
{
    if (uaddr & 3)
        return NULL;
    return vm_user_byte(vm_current(), uaddr, true);
}

long futex_wait(uintptr_t uaddr, uint32_t val, uint64_t deadline)
{
    uint32_t *w;

    if (uaddr & 3)
        return -EINVAL;
    if (!(w = word(uaddr)))
        return -EFAULT;
    if (*w != val)
        return -EAGAIN;
    return sched_sleep(w, deadline, true);
}

long futex_wake(uintptr_t uaddr, int n)
{
    uint32_t *w;

    if (uaddr & 3)
        return -EINVAL;
    if (!(w = word(uaddr)))
        return -EFAULT;
    return sched_wakeup_n(w, n < 0 ? 0 : n);
}

long futex_requeue(uintptr_t uaddr, int n, int move, uintptr_t uaddr2, bool cmp, uint32_t val)
{
    uint32_t *w, *w2;
    int woken;

    if ((uaddr & 3) || (uaddr2 & 3) || n < 0 || move < 0)
        return -EINVAL;
    if (!(w = word(uaddr)) || !(w2 = word(uaddr2)))
        return -EFAULT;
    if (cmp && *w != val)
        return -EAGAIN;
    woken = sched_wakeup_n(w, n);
    return woken + sched_requeue(w, w2, move);
}
