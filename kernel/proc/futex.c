/* kernel/proc/futex.c: futexes, priority-inheritance futexes and robust
 * lists. A plain futex is keyed by what the word is: in a private mapping
 * (address space, virtual address), so a fork that later copies the page
 * on write cannot part a waiter from its waker; in a MAP_SHARED mapping
 * the physical word (the shared object's own frame, never copied), so
 * processes sharing it meet there. Resolving the word for writing first
 * breaks copy-on-write, so the value compared is the writer's. */
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/futex.h"
#include "proc/proc.h"
#include "sched/sched.h"

struct futex_key {
    const void *space;     /* the address space; NULL: addr is the shared physical word */
    uintptr_t addr;
};

/* A thread asleep in FUTEX_WAIT; lives on its kernel stack and sleeps on
 * itself, so a wake reaches exactly the waiters it chose. */
struct futex_waiter {
    struct futex_key key;
    bool woken;
    struct futex_waiter *next;
};

/* Oldest first. Single CPU, interrupts off: no lock. */
static struct futex_waiter *futex_waiters;

static uint32_t *word(uintptr_t uaddr)
{
    if (uaddr & 3)
        return NULL;
    return vm_user_byte(vm_current(), uaddr, true);
}

/* The word and its key: 0, -EINVAL, -EFAULT. */
static int key_of(uintptr_t uaddr, uint32_t **w, struct futex_key *k)
{
    struct vm_space *vs = vm_current();

    if (uaddr & 3)
        return -EINVAL;
    if (!(*w = word(uaddr)))
        return -EFAULT;
    if (vm_addr_shared(vs, uaddr))
        *k = (struct futex_key){NULL, (uintptr_t)*w};
    else
        *k = (struct futex_key){vs, uaddr};
    return 0;
}

static bool same_key(const struct futex_key *a, const struct futex_key *b)
{
    return a->space == b->space && a->addr == b->addr;
}

static void waiter_unlink(struct futex_waiter *w)
{
    for (struct futex_waiter **pp = &futex_waiters; *pp; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            return;
        }
    }
}

/* Wake up to n waiters on k, then move up to move more of them to k2. */
static int wake_key(const struct futex_key *k, int n, int move, const struct futex_key *k2)
{
    struct futex_waiter **pp = &futex_waiters;
    int done = 0;

    while (*pp && done < n + move) {
        struct futex_waiter *w = *pp;
        if (!same_key(&w->key, k)) {
            pp = &w->next;
            continue;
        }
        done++;
        if (done > n) {
            w->key = *k2;
            pp = &w->next;
            continue;
        }
        *pp = w->next;
        w->woken = true;
        sched_wakeup(w);
    }
    return done;
}

long futex_wait(uintptr_t uaddr, uint32_t val, uint64_t deadline)
{
    struct futex_waiter me = {0}, **pp = &futex_waiters;
    uint32_t *w;
    int err = key_of(uaddr, &w, &me.key);

    if (err)
        return err;
    if (*w != val)
        return -EAGAIN;
    while (*pp)
        pp = &(*pp)->next;
    *pp = &me;
    err = sched_sleep(&me, deadline, true);
    if (me.woken)
        return 0;   /* a wake that came with a signal or the deadline still counts */
    waiter_unlink(&me);
    return err;
}

long futex_wake(uintptr_t uaddr, int n)
{
    struct futex_key k;
    uint32_t *w;
    int err = key_of(uaddr, &w, &k);

    if (err)
        return err;
    return wake_key(&k, n < 0 ? 0 : n, 0, &k);
}

long futex_requeue(uintptr_t uaddr, int n, int move, uintptr_t uaddr2, bool cmp, uint32_t val)
{
    struct futex_key k, k2;
    uint32_t *w, *w2;
    int err;

    if ((uaddr & 3) || (uaddr2 & 3) || n < 0 || move < 0)
        return -EINVAL;
    if ((err = key_of(uaddr, &w, &k)) < 0 || (err = key_of(uaddr2, &w2, &k2)) < 0)
        return err;
    if (cmp && *w != val)
        return -EAGAIN;
    return wake_key(&k, n, move, &k2);
}

/* Priority-inheritance futexes (FUTEX_LOCK_PI, FUTEX_UNLOCK_PI,
 * FUTEX_TRYLOCK_PI). The kernel keeps the waiters, oldest first, and unlock
 * hands the lock to the oldest by writing its tid. The inheritance itself is
 * nothing here: on one CPU with round robin the owner runs in its turn. */
#define FUTEX_TID_MASK 0x3fffffffu
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_WAITERS 0x80000000u
#define ROBUST_HEAD_SIZE 24   /* struct robust_list_head: list, futex_offset, list_op_pending */
#define ROBUST_LIST_LIMIT 2048

/* A thread asleep in FUTEX_LOCK_PI; lives on its kernel stack. */
struct pi_waiter {
    const uint32_t *word;
    struct thread *t;
    bool granted;          /* unlock made it the owner */
    struct pi_waiter *next;
};

/* Single CPU, interrupts off: no lock. */
static struct pi_waiter *pi_waiters;

static void pi_remove(struct pi_waiter *w)
{
    for (struct pi_waiter **pp = &pi_waiters; *pp; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            return;
        }
    }
}

static void pi_append(struct pi_waiter *w)
{
    struct pi_waiter **pp = &pi_waiters;

    while (*pp)
        pp = &(*pp)->next;
    w->next = NULL;
    *pp = w;
}

static struct pi_waiter *pi_first(const uint32_t *word)
{
    for (struct pi_waiter *w = pi_waiters; w; w = w->next)
        if (w->word == word)
            return w;
    return NULL;
}

static bool thread_alive(uint32_t tid)
{
    for (struct thread *t = sched_threads(); t; t = t->all_next)
        if ((uint32_t)t->tid == tid && t->state != THREAD_DEAD)
            return true;
    return false;
}

/* Give the lock at w to its oldest kernel waiter, keeping extra bits. */
static bool pi_hand_over(uint32_t *w, uint32_t extra)
{
    struct pi_waiter *n = pi_first(w);

    if (!n)
        return false;
    pi_remove(n);
    n->granted = true;
    *w = (uint32_t)n->t->tid | extra | (pi_first(w) ? FUTEX_WAITERS : 0);
    sched_wakeup(n);
    return true;
}

/* Take a free PI word for tid, keeping FUTEX_OWNER_DIED. */
static void pi_take(uint32_t *w, uint32_t v, int tid)
{
    *w = (uint32_t)tid | (v & FUTEX_OWNER_DIED) | (pi_first(w) ? FUTEX_WAITERS : 0);
}

long futex_lock_pi(uintptr_t uaddr, uint64_t deadline)
{
    struct thread *self = sched_current();

    if (uaddr & 3)
        return -EINVAL;
    for (;;) {
        uint32_t *w = word(uaddr), v, owner;
        struct pi_waiter me = {0};
        int err;
        if (!w)
            return -EFAULT;
        v = *w;
        owner = v & FUTEX_TID_MASK;
        if (!owner) {
            pi_take(w, v, self->tid);
            return 0;
        }
        if (owner == (uint32_t)self->tid)
            return -EDEADLK;
        if (!thread_alive(owner))
            return -ESRCH;
        *w = v | FUTEX_WAITERS;
        me = (struct pi_waiter){w, self, false, NULL};
        pi_append(&me);
        err = sched_sleep(&me, deadline, true);
        pi_remove(&me);
        if (me.granted)
            return 0;
        if (err)
            return err;
    }
}

long futex_unlock_pi(uintptr_t uaddr)
{
    uint32_t *w;

    if (uaddr & 3)
        return -EINVAL;
    if (!(w = word(uaddr)))
        return -EFAULT;
    if ((*w & FUTEX_TID_MASK) != (uint32_t)sched_current()->tid)
        return -EPERM;
    if (!pi_hand_over(w, 0))
        *w = 0;
    return 0;
}

long futex_trylock_pi(uintptr_t uaddr)
{
    struct thread *self = sched_current();
    uint32_t *w, owner;

    if (uaddr & 3)
        return -EINVAL;
    if (!(w = word(uaddr)))
        return -EFAULT;
    owner = *w & FUTEX_TID_MASK;
    if (!owner) {
        pi_take(w, *w, self->tid);
        return 0;
    }
    return owner == (uint32_t)self->tid ? -EDEADLK : -EAGAIN;
}

long futex_set_robust_list(uintptr_t head, size_t len)
{
    if (len != ROBUST_HEAD_SIZE)
        return -EINVAL;
    sched_current()->robust_list = head;
    return 0;
}

long futex_get_robust_list(int tid, uintptr_t uhead, uintptr_t ulen)
{
    struct thread *t = tid ? NULL : sched_current();
    uint64_t len = ROBUST_HEAD_SIZE, head;

    for (struct thread *o = sched_threads(); o && !t; o = o->all_next)
        if (o->tid == tid && o->state != THREAD_DEAD)
            t = o;
    if (!t || tid < 0)
        return -ESRCH;
    head = t->robust_list;
    if (copy_to_user(uhead, &head, sizeof(head)) < 0 || copy_to_user(ulen, &len, sizeof(len)) < 0)
        return -EFAULT;
    return 0;
}

/* The owner t died holding the futex at uword (if it still does). */
static void robust_death(struct thread *t, uintptr_t uword)
{
    uint32_t *w, v;

    if ((uword & 3) || !(w = word(uword)))
        return;
    v = *w;
    if ((v & FUTEX_TID_MASK) != (uint32_t)t->tid)
        return;
    if (pi_hand_over(w, FUTEX_OWNER_DIED))
        return;
    *w = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
    if (v & FUTEX_WAITERS)
        futex_wake(uword, 1);
}

/* The list is in the dying thread's memory (its space is still the
 * current one); every pointer in it is checked, and the walk is bounded
 * so a looping list cannot hold the kernel. Bit 0 of an entry marks PI. */
void futex_exit_robust(struct thread *t)
{
    struct {
        uint64_t next;
        int64_t offset;
        uint64_t pending;
    } head;
    uintptr_t at = t->robust_list, entry;

    t->robust_list = 0;
    if (!at || copy_from_user(&head, at, sizeof(head)) < 0)
        return;
    entry = head.next;
    for (int n = 0; entry != at && n < ROBUST_LIST_LIMIT; n++) {
        uint64_t next;
        if (copy_from_user(&next, entry & ~1ul, sizeof(next)) < 0)
            break;
        if ((entry & ~1ul) != (head.pending & ~1ul))
            robust_death(t, (entry & ~1ul) + (uintptr_t)head.offset);
        entry = next;
    }
    if (head.pending)
        robust_death(t, (head.pending & ~1ul) + (uintptr_t)head.offset);
}
