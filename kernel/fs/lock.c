/* kernel/fs/lock.c: the kernel's table of advisory locks. Daemons never see
 * locks: a file is known by (ops table, st_dev, st_ino) from its fstat, asked
 * once per open file (for a user scheme st_dev names the scheme), or by its
 * kernel object when it has no inode number. One list, searched linearly:
 * programs hold few locks. */
#include "fs/file.h"
#include "fs/lock.h"
#include "lib/errno.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "sched/sched.h"

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define RANGE_END UINT64_MAX      /* l_len 0: to the end of the file, however it grows */
#define LOCKS_MAX 4096            /* beyond this, ENOLCK */
#define DEADLOCK_DEPTH 16         /* owners followed when looking for a wait cycle */

/* struct flock of Linux x86_64 (asm-generic/fcntl.h with 64-bit off_t). */
struct flock_k {
    int16_t type, whence;
    int32_t pad;
    int64_t start, len;
    int32_t pid, pad2;
};
_Static_assert(sizeof(struct flock_k) == 32, "ABI: struct flock is 32 bytes");

enum lock_kind { KIND_POSIX, KIND_OFD, KIND_FLOCK };

struct lock_key {
    const void *ops;
    uint64_t dev, ino;
};

struct lock_rec {
    struct lock_key key;
    enum lock_kind kind;
    const void *owner;          /* struct proc (POSIX) or struct file (OFD, flock) */
    int pid;                    /* what F_GETLK reports: the owner's pid, -1 for OFD */
    int type;                   /* F_RDLCK or F_WRLCK */
    uint64_t start, end;        /* inclusive */
    struct lock_rec *next;
};

/* A thread asleep in F_SETLKW, for deadlock detection; lives on its stack. */
struct lock_wait {
    const struct lock_rec *want;
    struct lock_wait *next;
};

/* Single CPU, interrupts off in the kernel: no lock. */
static struct lock_rec *locks;
static unsigned lock_count;
static struct lock_wait *waits;
/* Woken whenever a lock goes away or shrinks. */
static const char lock_chan;

static bool same_key(const struct lock_key *a, const struct lock_key *b)
{
    return a->ops == b->ops && a->dev == b->dev && a->ino == b->ino;
}

/* f's identity: 0, or the error of its stat (a daemon that did not answer:
 * nothing is cached, the next call asks again). */
static int file_key(struct file *f, struct lock_key *k)
{
    struct kstat st;
    int err;

    if (!f->lock_known) {
        err = f->ops->stat ? f->ops->stat(f, &st) : 0;
        if (err < 0)
            return err;
        f->lock_dev = f->ops->stat && st.st_ino ? st.st_dev : 0;
        /* Kernel objects without inode numbers are known by their object. */
        f->lock_ino = f->ops->stat && st.st_ino ? st.st_ino : (uintptr_t)f->priv;
        f->lock_known = true;
    }
    *k = (struct lock_key){f->ops, f->lock_dev, f->lock_ino};
    return 0;
}

static bool is_flock(enum lock_kind k)
{
    return k == KIND_FLOCK;
}

/* A lock of another owner that keeps want from being taken, or NULL. POSIX
 * and OFD locks meet each other; flock locks only meet flock locks. */
static struct lock_rec *conflict(const struct lock_rec *want)
{
    for (struct lock_rec *l = locks; l; l = l->next) {
        if (l->owner == want->owner || !same_key(&l->key, &want->key) ||
            is_flock(l->kind) != is_flock(want->kind))
            continue;
        if (l->end < want->start || l->start > want->end)
            continue;
        if (l->type == F_WRLCK || want->type == F_WRLCK)
            return l;
    }
    return NULL;
}

static void unlink_rec(struct lock_rec **pp)
{
    struct lock_rec *l = *pp;

    *pp = l->next;
    kfree(l);
    lock_count--;
}

static bool adjacent(const struct lock_rec *l, uint64_t start, uint64_t end)
{
    return (l->end != RANGE_END && l->end + 1 == start) ||
           (end != RANGE_END && end + 1 == l->start);
}

static bool overlaps(const struct lock_rec *l, uint64_t start, uint64_t end)
{
    return l->start <= end && l->end >= start;
}

/* Cut [start, end] out of l (same owner, other type, or an unlock); a
 * lock that straddles the range is split using *spare. */
static void carve(struct lock_rec **pp, uint64_t start, uint64_t end, struct lock_rec **spare)
{
    struct lock_rec *l = *pp, *tail;

    if (l->start < start && l->end > end) {
        tail = *spare;
        *spare = NULL;
        *tail = *l;
        tail->start = end + 1;
        l->end = start - 1;
        l->next = tail;
        lock_count++;
    } else if (l->start < start) {
        l->end = start - 1;
    } else if (l->end > end) {
        l->start = end + 1;
    } else {
        unlink_rec(pp);
    }
}

static bool same_owner(const struct lock_rec *l, const struct lock_rec *want)
{
    return l->owner == want->owner && l->kind == want->kind && same_key(&l->key, &want->key);
}

/* Fold the owner's lock *pp into want's range: one of the same type that
 * overlaps or touches it merges (growing [*start, *end]); another type is
 * cut back. Returns where the walk goes on. */
static struct lock_rec **fold(struct lock_rec **pp, const struct lock_rec *want, uint64_t *start,
                              uint64_t *end, struct lock_rec **spare)
{
    struct lock_rec *l = *pp;

    if (l->type == want->type) {
        *start = l->start < *start ? l->start : *start;
        *end = l->end > *end ? l->end : *end;
        unlink_rec(pp);
        return pp;
    }
    if (!overlaps(l, want->start, want->end))
        return &l->next;
    carve(pp, want->start, want->end, spare);
    return *pp == l ? &l->next : pp;
}

/* Set (or, with F_UNLCK, clear) want's range for its owner: the owner's
 * locks of the same type that overlap or touch it merge into one; others in
 * the range are cut back or split (at most one split, so two spare records
 * cover every case). The caller checked for conflicts. */
static int apply(struct lock_rec *want)
{
    struct lock_rec *spare = kmalloc(sizeof(*spare)), *split = kmalloc(sizeof(*split));
    struct lock_rec **pp = &locks;
    uint64_t start = want->start, end = want->end;

    if (!spare || !split || (want->type != F_UNLCK && lock_count + 2 > LOCKS_MAX)) {
        kfree(spare);
        kfree(split);
        return spare && split ? -ENOLCK : -ENOMEM;
    }
    while (*pp) {
        struct lock_rec *l = *pp;
        bool touch = overlaps(l, want->start, want->end) || adjacent(l, want->start, want->end);
        if (!same_owner(l, want) || !touch)
            pp = &l->next;
        else
            pp = fold(pp, want, &start, &end, &split);
    }
    if (want->type != F_UNLCK) {
        *spare = *want;
        spare->start = start;
        spare->end = end;
        spare->next = locks;
        locks = spare;
        lock_count++;
        spare = NULL;
    }
    kfree(spare);
    kfree(split);
    sched_wakeup(&lock_chan);
    return 0;
}

/* What the owner of a POSIX lock waits for, if it sleeps in F_SETLKW. */
static const struct lock_rec *waiting_for(const void *owner)
{
    for (struct lock_wait *w = waits; w; w = w->next)
        if (w->want->owner == owner && w->want->kind == KIND_POSIX)
            return w->want;
    return NULL;
}

/* Would want's owner, by waiting for blocker, close a cycle of waiters? */
static bool deadlock(const struct lock_rec *want, const struct lock_rec *blocker)
{
    for (int depth = 0; depth < DEADLOCK_DEPTH && blocker; depth++) {
        const struct lock_rec *next;
        if (blocker->kind != KIND_POSIX)
            return false;
        if (blocker->owner == want->owner)
            return true;
        if (!(next = waiting_for(blocker->owner)))
            return false;
        blocker = conflict(next);
    }
    return false;
}

/* Take want, sleeping while another owner holds a conflicting lock. */
static long acquire(struct lock_rec *want, bool wait)
{
    for (;;) {
        struct lock_rec *c = want->type == F_UNLCK ? NULL : conflict(want);
        struct lock_wait w = {want, waits};
        int err;
        if (!c)
            return apply(want);
        if (!wait)
            return -EAGAIN;
        if (want->kind == KIND_POSIX && deadlock(want, c))
            return -EDEADLK;
        waits = &w;
        err = sched_sleep(&lock_chan, 0, true);
        for (struct lock_wait **pp = &waits; *pp; pp = &(*pp)->next) {
            if (*pp == &w) {
                *pp = w.next;
                break;
            }
        }
        if (err)
            return err;
    }
}

/* The absolute byte range [*start, *end] a struct flock names. */
static int flock_range(struct file *f, const struct flock_k *fl, uint64_t *start, uint64_t *end)
{
    int64_t base, s, b;
    struct kstat st;

    switch (fl->whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->offset; break;
    case SEEK_END:
        if (!f->ops->stat || f->ops->stat(f, &st) < 0)
            return -EINVAL;
        base = st.st_size;
        break;
    default: return -EINVAL;
    }
    if (__builtin_add_overflow(base, fl->start, &s))
        return -EOVERFLOW;
    if (fl->len < 0) {
        if (__builtin_add_overflow(s, fl->len, &b) || b < 0)
            return -EINVAL;
        *start = (uint64_t)b;
        *end = (uint64_t)s - 1;
        return 0;
    }
    if (s < 0)
        return -EINVAL;
    *start = (uint64_t)s;
    if (fl->len == 0)
        *end = RANGE_END;
    else if (fl->len - 1 > INT64_MAX - s)
        return -EOVERFLOW;
    else
        *end = (uint64_t)(s + fl->len - 1);
    return 0;
}

/* F_GETLK: describe the first lock that would block want, or F_UNLCK. */
static long get_lock(const struct lock_rec *want, struct flock_k *fl, uintptr_t uarg)
{
    const struct lock_rec *c = conflict(want);

    if (!c) {
        fl->type = F_UNLCK;
    } else {
        fl->type = (int16_t)c->type;
        fl->whence = SEEK_SET;
        fl->start = (int64_t)c->start;
        fl->len = c->end == RANGE_END ? 0 : (int64_t)(c->end - c->start + 1);
        fl->pid = c->pid;
    }
    return copy_to_user(uarg, fl, sizeof(*fl));
}

bool lock_is_fcntl_cmd(int cmd)
{
    return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_GETLK ||
           cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

static int check_access(const struct file *f, int type)
{
    unsigned acc = f->flags & O_ACCMODE;

    if (type == F_RDLCK && acc == O_WRONLY)
        return -EBADF;
    if (type == F_WRLCK && acc == O_RDONLY)
        return -EBADF;
    return 0;
}

long lock_fcntl(struct file *f, int cmd, uintptr_t uarg)
{
    bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
    struct proc *p = proc_current();
    struct lock_rec want = {.kind = ofd ? KIND_OFD : KIND_POSIX};
    struct flock_k fl;
    int err;

    if (copy_from_user(&fl, uarg, sizeof(fl)) < 0)
        return -EFAULT;
    if ((fl.type != F_RDLCK && fl.type != F_WRLCK && fl.type != F_UNLCK) || (ofd && fl.pid != 0))
        return -EINVAL;
    if ((err = flock_range(f, &fl, &want.start, &want.end)) < 0 ||
        (err = file_key(f, &want.key)) < 0)
        return err;
    want.owner = ofd ? (const void *)f : (const void *)p;
    want.pid = ofd ? -1 : p->pid;
    want.type = fl.type;
    if (cmd == F_GETLK || cmd == F_OFD_GETLK)
        return fl.type == F_UNLCK ? -EINVAL : get_lock(&want, &fl, uarg);
    if ((err = check_access(f, fl.type)) < 0)
        return err;
    return acquire(&want, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/* Drop every lock matching kind and owner (and key, when given). */
static void drop(enum lock_kind kind, const void *owner, const struct lock_key *key)
{
    bool any = false;

    for (struct lock_rec **pp = &locks; *pp;) {
        struct lock_rec *l = *pp;
        if (l->kind == kind && l->owner == owner && (!key || same_key(&l->key, key))) {
            unlink_rec(pp);
            any = true;
        } else {
            pp = &l->next;
        }
    }
    if (any)
        sched_wakeup(&lock_chan);
}

long lock_flock(struct file *f, int op)
{
    struct lock_rec want = {.kind = KIND_FLOCK, .owner = f, .pid = -1, .end = RANGE_END};
    bool wait = !(op & LOCK_NB);
    int err;

    op &= ~LOCK_NB;
    if (op == LOCK_UN) {
        drop(KIND_FLOCK, f, NULL);
        return 0;
    }
    if (op != LOCK_SH && op != LOCK_EX)
        return -EINVAL;
    if ((err = file_key(f, &want.key)) < 0)
        return err;
    want.type = op == LOCK_EX ? F_WRLCK : F_RDLCK;
    for (struct lock_rec *l = locks; l; l = l->next)
        if (l->kind == KIND_FLOCK && l->owner == f && l->type == want.type)
            return 0;   /* held already */
    drop(KIND_FLOCK, f, NULL);   /* a conversion is not atomic, as on Linux */
    return acquire(&want, wait);
}

static bool owns_posix(const struct proc *p, const void *ops)
{
    for (struct lock_rec *l = locks; l; l = l->next)
        if (l->kind == KIND_POSIX && l->owner == p && l->key.ops == ops)
            return true;
    return false;
}

void lock_close(struct proc *p, struct file *f)
{
    struct lock_key key;

    if (owns_posix(p, f->ops) && file_key(f, &key) == 0)
        drop(KIND_POSIX, p, &key);   /* else they stay until p exits */
}

void lock_file_release(struct file *f)
{
    if (!locks)
        return;
    drop(KIND_OFD, f, NULL);
    drop(KIND_FLOCK, f, NULL);
}

void lock_proc_exit(struct proc *p)
{
    if (locks)
        drop(KIND_POSIX, p, NULL);
}
