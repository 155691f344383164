/* kernel/proc/futex.h: futex wait and wake. A futex in a private mapping
 * is keyed by (address space, address), one in a MAP_SHARED mapping by the
 * physical word, so processes sharing the page meet on it. */
#ifndef ANVIL_PROC_FUTEX_H
#define ANVIL_PROC_FUTEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct thread;

/* Sleep while *uaddr == val: 0, -EAGAIN, -ETIMEDOUT, -EINTR, -EFAULT, -EINVAL. */
long futex_wait(uintptr_t uaddr, uint32_t val, uint64_t deadline);
/* Wake up to n waiters: how many woke, or -EFAULT / -EINVAL. */
long futex_wake(uintptr_t uaddr, int n);

/* Wake n waiters on uaddr, move up to move more to uaddr2 (optionally
 * only if *uaddr == val): how many woke plus moved. */
long futex_requeue(uintptr_t uaddr, int n, int move, uintptr_t uaddr2, bool cmp, uint32_t val);

/* Priority-inheritance futexes: the word holds the owner's tid, with
 * FUTEX_WAITERS set while threads sleep in the kernel for it. Lock: 0,
 * -EDEADLK (ours), -ESRCH (no such owner), -ETIMEDOUT, -EINTR, -EFAULT.
 * Unlock hands the lock straight to the oldest waiter: 0 or -EPERM. Trylock:
 * 0, -EAGAIN, -EDEADLK. deadline: monotonic ns, 0 for none. */
long futex_lock_pi(uintptr_t uaddr, uint64_t deadline);
long futex_unlock_pi(uintptr_t uaddr);
long futex_trylock_pi(uintptr_t uaddr);

/* set_robust_list: remember the thread's list head (len must be 24). */
long futex_set_robust_list(uintptr_t head, size_t len);
/* get_robust_list: tid's (0: ours) list head and its length, written to
 * the user pointers: 0, -ESRCH, -EFAULT. */
long futex_get_robust_list(int tid, uintptr_t uhead, uintptr_t ulen);
/* The thread is exiting: every robust futex it still owns gets
 * FUTEX_OWNER_DIED and one waiter is woken (or handed the lock). */
void futex_exit_robust(struct thread *t);

#endif
