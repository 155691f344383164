/* kernel/proc/futex.h: futex wait and wake. A futex is keyed by the
 * physical word (its direct-map address), so threads and processes sharing
 * the page meet on it. */
#ifndef ANVIL_PROC_FUTEX_H
#define ANVIL_PROC_FUTEX_H

#include <stdbool.h>
#include <stdint.h>

/* Sleep while *uaddr == val: 0, -EAGAIN, -ETIMEDOUT, -EINTR, -EFAULT, -EINVAL. */
long futex_wait(uintptr_t uaddr, uint32_t val, uint64_t deadline);
/* Wake up to n waiters: how many woke, or -EFAULT / -EINVAL. */
long futex_wake(uintptr_t uaddr, int n);

/* Wake n waiters on uaddr, move up to move more to uaddr2 (optionally
 * only if *uaddr == val): how many woke plus moved. */
long futex_requeue(uintptr_t uaddr, int n, int move, uintptr_t uaddr2, bool cmp, uint32_t val);

#endif
