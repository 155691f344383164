/* kernel/sysv/sem.c: System V semaphores: semget, semop, semtimedop,
 * semctl. A semop applies all its operations at once or none, sleeping
 * (interruptibly) until it can; SEM_UNDO adjustments are kept per process
 * and applied when it exits. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "syscall/syscall.h"
#include "sysv/sysv.h"

#define SEMMSL 250         /* semaphores per set */
#define SEMOPM 32          /* operations per semop */
#define SEMVMX 32767       /* largest value */
#define SEM_UNDO 0x1000
#define GETPID 11
#define GETVAL 12
#define GETALL 13
#define GETNCNT 14
#define GETZCNT 15
#define SETVAL 16
#define SETALL 17

struct sem {
    uint16_t val;
    int pid;               /* last to operate */
};

struct sem_set {
    struct sysv_obj o;
    int nsems;
    int64_t otime;
    struct sem *sems;
};

/* struct semid64_ds (x86_64). */
struct semid_ds_k {
    struct ipc_perm_k perm;
    int64_t otime;
    uint64_t unused1;
    int64_t ctime;
    uint64_t unused2, nsems, unused3, unused4;
};
_Static_assert(sizeof(struct semid_ds_k) == 104, "ABI: struct semid64_ds is 104 bytes");

struct sembuf_k {
    uint16_t num;
    int16_t op;
    int16_t flg;
};
_Static_assert(sizeof(struct sembuf_k) == 6, "ABI: struct sembuf is 6 bytes");

/* A process's SEM_UNDO adjustments for one set. */
struct sem_undo {
    struct proc *p;
    int semid;
    int nsems;
    int16_t *adj;
    struct sem_undo *next;
};

/* A thread asleep in semop, for GETNCNT/GETZCNT; on its stack. */
struct sem_wait {
    int semid, num;
    bool zero;
    struct sem_wait *next;
};

/* Single CPU, interrupts off: no lock. */
static struct sysv_ids sem_ids;
static struct sem_undo *undos;
static struct sem_wait *waits;

static struct sem_set *set_lookup(int id)
{
    return (struct sem_set *)sysv_lookup(&sem_ids, id);
}

static int set_create(int32_t key, int nsems, int flags)
{
    struct sem_set *s;
    int id;

    if (nsems <= 0 || nsems > SEMMSL)
        return -EINVAL;
    if (!(s = kzalloc(sizeof(*s))) || !(s->sems = kzalloc((size_t)nsems * sizeof(struct sem)))) {
        kfree(s);
        return -ENOMEM;
    }
    s->nsems = nsems;
    s->o.cpid = proc_current()->pid;
    if ((id = sysv_add(&sem_ids, &s->o, key, flags)) < 0) {
        kfree(s->sems);
        kfree(s);
    }
    return id;
}

long sys_semget(SYSCALL_ARGS)
{
    int32_t key = (int32_t)a0;
    int nsems = (int)a1, flags = (int)a2, r;
    struct sysv_obj *o;

    if (nsems < 0 || nsems > SEMMSL)
        return -EINVAL;
    if ((r = sysv_find(&sem_ids, key, flags, &o)) < 0)
        return r;
    if (r == 0)
        return set_create(key, nsems, flags);
    if (nsems > ((struct sem_set *)o)->nsems)
        return -EINVAL;
    return o->id;
}

static struct sem_undo *undo_for(struct proc *p, const struct sem_set *s, bool make)
{
    struct sem_undo *u;

    for (u = undos; u; u = u->next)
        if (u->p == p && u->semid == s->o.id)
            return u;
    if (!make || !(u = kzalloc(sizeof(*u))))
        return NULL;
    if (!(u->adj = kzalloc((size_t)s->nsems * sizeof(int16_t)))) {
        kfree(u);
        return NULL;
    }
    *u = (struct sem_undo){p, s->o.id, s->nsems, u->adj, undos};
    undos = u;
    return u;
}

/* Whether all of ops can be applied now: 0, 1 (must wait; *block says on
 * which), -ERANGE. Computed on a scratch copy of the values. */
static int try_ops(const struct sem_set *s, const struct sembuf_k *ops, int n, int *vals,
                   const struct sembuf_k **block)
{
    for (int i = 0; i < s->nsems; i++)
        vals[i] = s->sems[i].val;
    for (int i = 0; i < n; i++) {
        int v = vals[ops[i].num] + ops[i].op;
        if ((ops[i].op == 0 && vals[ops[i].num] != 0) || v < 0) {
            *block = &ops[i];
            return 1;
        }
        if (v > SEMVMX)
            return -ERANGE;
        vals[ops[i].num] = v;
    }
    return 0;
}

static int apply_ops(struct sem_set *s, const struct sembuf_k *ops, int n, const int *vals)
{
    struct proc *p = proc_current();

    for (int i = 0; i < n; i++) {
        struct sem_undo *u;
        if (!(ops[i].flg & SEM_UNDO) || ops[i].op == 0)
            continue;
        if (!(u = undo_for(p, s, true)))
            return -ENOMEM;
        u->adj[ops[i].num] = (int16_t)(u->adj[ops[i].num] - ops[i].op);
    }
    for (int i = 0; i < n; i++)
        s->sems[ops[i].num].pid = p->pid;
    for (int i = 0; i < s->nsems; i++)
        s->sems[i].val = (uint16_t)vals[i];
    s->otime = sysv_now();
    sched_wakeup(s);
    return 0;
}

static long sleep_on(struct sem_set *s, const struct sembuf_k *block, uint64_t deadline)
{
    struct sem_wait w = {s->o.id, block->num, block->op == 0, waits};
    long err;

    waits = &w;
    err = sched_sleep(s, deadline, true);
    for (struct sem_wait **pp = &waits; *pp; pp = &(*pp)->next) {
        if (*pp == &w) {
            *pp = w.next;
            break;
        }
    }
    return err == -ETIMEDOUT ? -EAGAIN : err;
}

static long do_semop(int id, uintptr_t usops, size_t nsops, uint64_t deadline)
{
    struct sembuf_k ops[SEMOPM];
    int vals[SEMMSL];

    if (nsops < 1)
        return -EINVAL;
    if (nsops > SEMOPM)
        return -E2BIG;
    if (copy_from_user(ops, usops, nsops * sizeof(ops[0])) < 0)
        return -EFAULT;
    for (;;) {
        struct sem_set *s = set_lookup(id);
        const struct sembuf_k *block = NULL;
        long r;
        if (!s)
            return -EINVAL;
        for (size_t i = 0; i < nsops; i++)
            if (ops[i].num >= s->nsems)
                return -EFBIG;
        if ((r = try_ops(s, ops, (int)nsops, vals, &block)) <= 0)
            return r < 0 ? r : apply_ops(s, ops, (int)nsops, vals);
        if (block->flg & IPC_NOWAIT)
            return -EAGAIN;
        if ((r = sleep_on(s, block, deadline)) < 0)
            return r;
        if (!set_lookup(id))
            return -EIDRM;
    }
}

long sys_semop(SYSCALL_ARGS)
{
    return do_semop((int)a0, a1, a2, 0);
}

long sys_semtimedop(SYSCALL_ARGS)
{
    int64_t ns;
    int err;

    if (!a3)
        return do_semop((int)a0, a1, a2, 0);
    if ((err = syscall_get_timespec(a3, &ns)) < 0)
        return err;
    if (ns == SYSCALL_NS_FOREVER)
        return do_semop((int)a0, a1, a2, 0);
    return do_semop((int)a0, a1, a2, clock_monotonic_ns() + (uint64_t)ns + (ns == 0));
}

/* SETVAL/SETALL forget the adjustments recorded for those semaphores. */
static void clear_undo(int semid, int num)
{
    for (struct sem_undo *u = undos; u; u = u->next)
        if (u->semid == semid)
            for (int i = 0; i < u->nsems; i++)
                if (num < 0 || i == num)
                    u->adj[i] = 0;
}

static long count_waiters(int semid, int num, bool zero)
{
    long n = 0;

    for (struct sem_wait *w = waits; w; w = w->next)
        n += w->semid == semid && w->num == num && w->zero == zero;
    return n;
}

static long sem_stat(struct sem_set *s, uintptr_t ubuf)
{
    struct semid_ds_k ds;

    memset(&ds, 0, sizeof(ds));
    sysv_perm(&s->o, &ds.perm);
    ds.otime = s->otime;
    ds.ctime = s->o.ctime;
    ds.nsems = (uint64_t)s->nsems;
    return copy_to_user(ubuf, &ds, sizeof(ds));
}

static long get_all(struct sem_set *s, uintptr_t uarr)
{
    uint16_t vals[SEMMSL];

    for (int i = 0; i < s->nsems; i++)
        vals[i] = s->sems[i].val;
    return copy_to_user(uarr, vals, (size_t)s->nsems * sizeof(vals[0]));
}

static long set_all(struct sem_set *s, uintptr_t uarr)
{
    uint16_t vals[SEMMSL];

    if (copy_from_user(vals, uarr, (size_t)s->nsems * sizeof(vals[0])) < 0)
        return -EFAULT;
    for (int i = 0; i < s->nsems; i++)
        if (vals[i] > SEMVMX)
            return -ERANGE;
    for (int i = 0; i < s->nsems; i++) {
        s->sems[i].val = vals[i];
        s->sems[i].pid = proc_current()->pid;
    }
    clear_undo(s->o.id, -1);
    s->o.ctime = sysv_now();
    sched_wakeup(s);
    return 0;
}

static long set_val(struct sem_set *s, int num, int val)
{
    if (val < 0 || val > SEMVMX)
        return -ERANGE;
    s->sems[num].val = (uint16_t)val;
    s->sems[num].pid = proc_current()->pid;
    clear_undo(s->o.id, num);
    s->o.ctime = sysv_now();
    sched_wakeup(s);
    return 0;
}

static long remove_set(struct sem_set *s)
{
    sysv_remove(&sem_ids, &s->o);
    sched_wakeup(s);   /* sleepers find the id gone: EIDRM */
    for (struct sem_undo **pp = &undos; *pp;) {
        struct sem_undo *u = *pp;
        if (u->semid == s->o.id) {
            *pp = u->next;
            kfree(u->adj);
            kfree(u);
        } else {
            pp = &u->next;
        }
    }
    kfree(s->sems);
    kfree(s);
    return 0;
}

/* The semctl commands about one semaphore (semnum must name it). */
static bool about_one(int cmd)
{
    return cmd == GETVAL || cmd == SETVAL || cmd == GETPID || cmd == GETNCNT || cmd == GETZCNT;
}

long sys_semctl(SYSCALL_ARGS)
{
    struct sem_set *s = set_lookup((int)a0);
    int num = (int)a1, cmd = (int)a2 & ~IPC_64;
    struct semid_ds_k ds;

    if (!s || (about_one(cmd) && (num < 0 || num >= s->nsems)))
        return -EINVAL;
    switch (cmd) {
    case IPC_STAT: return sem_stat(s, a3);
    case IPC_SET:
        if (copy_from_user(&ds, a3, sizeof(ds)) < 0)
            return -EFAULT;
        sysv_set_mode(&s->o, &ds.perm);
        return 0;
    case IPC_RMID: return remove_set(s);
    case GETVAL: return s->sems[num].val;
    case GETPID: return s->sems[num].pid;
    case GETNCNT: return count_waiters(s->o.id, num, false);
    case GETZCNT: return count_waiters(s->o.id, num, true);
    case GETALL: return get_all(s, a3);
    case SETALL: return set_all(s, a3);
    case SETVAL: return set_val(s, num, (int)a3);
    default: return -EINVAL;
    }
}

/* Apply u's adjustments, each value clamped to 0..SEMVMX (as Linux). */
static void undo_apply(const struct sem_undo *u)
{
    struct sem_set *s = set_lookup(u->semid);

    if (!s)
        return;
    for (int i = 0; i < u->nsems && i < s->nsems; i++) {
        int v = s->sems[i].val + u->adj[i];
        if (!u->adj[i])
            continue;
        s->sems[i].val = (uint16_t)(v < 0 ? 0 : v > SEMVMX ? SEMVMX : v);
        s->sems[i].pid = u->p->pid;
    }
    sched_wakeup(s);
}

void sysv_sem_exit(struct proc *p)
{
    for (struct sem_undo **pp = &undos; *pp;) {
        struct sem_undo *u = *pp;
        if (u->p != p) {
            pp = &u->next;
            continue;
        }
        undo_apply(u);
        *pp = u->next;
        kfree(u->adj);
        kfree(u);
    }
}
