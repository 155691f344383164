/* kernel/sysv/msg.c: System V message queues: msgget, msgsnd, msgrcv,
 * msgctl. Messages are copied into the kernel whole; a queue holds at most
 * its msg_qbytes bytes, and senders and receivers sleep interruptibly. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "syscall/syscall.h"
#include "sysv/sysv.h"

#define MSGMAX 8192                /* bytes per message */
#define MSGMNB 16384               /* default bytes per queue */
#define MSGMNB_MAX (1ul << 20)     /* what IPC_SET may raise it to */
#define MSG_NOERROR 010000
#define MSG_EXCEPT 020000
#define MSG_COPY 040000

struct msg {
    int64_t type;
    size_t len;
    struct msg *next;
    uint8_t data[];
};

struct msg_queue {
    struct sysv_obj o;
    struct msg *head;
    uint64_t cbytes, qnum, qbytes;
    int lspid, lrpid;
    int64_t stime, rtime;
};

/* struct msqid64_ds (x86_64). */
struct msqid_ds_k {
    struct ipc_perm_k perm;
    int64_t stime, rtime, ctime;
    uint64_t cbytes, qnum, qbytes;
    int32_t lspid, lrpid;
    uint64_t unused[2];
};
_Static_assert(sizeof(struct msqid_ds_k) == 120, "ABI: struct msqid64_ds is 120 bytes");

/* Single CPU, interrupts off: no lock. */
static struct sysv_ids msg_ids;

static struct msg_queue *queue_lookup(int id)
{
    return (struct msg_queue *)sysv_lookup(&msg_ids, id);
}

long sys_msgget(SYSCALL_ARGS)
{
    int32_t key = (int32_t)a0;
    int flags = (int)a1, r, id;
    struct sysv_obj *o;
    struct msg_queue *q;

    if ((r = sysv_find(&msg_ids, key, flags, &o)) < 0)
        return r;
    if (r == 1)
        return o->id;
    if (!(q = kzalloc(sizeof(*q))))
        return -ENOMEM;
    q->qbytes = MSGMNB;
    q->o.cpid = proc_current()->pid;
    if ((id = sysv_add(&msg_ids, &q->o, key, flags)) < 0)
        kfree(q);
    return id;
}

/* Wait for a change on the queue: 0, -EINTR, or -EIDRM when it went. */
static long wait_change(int id, struct msg_queue *q)
{
    long err = sched_sleep(q, 0, true);

    if (!queue_lookup(id))
        return -EIDRM;
    return err;
}

long sys_msgsnd(SYSCALL_ARGS)
{
    int id = (int)a0, flags = (int)a3;
    size_t len = a2;
    struct msg_queue *q = queue_lookup(id);
    struct msg *m;
    long err;

    if (!q || len > MSGMAX)
        return -EINVAL;
    if (!(m = kmalloc(sizeof(*m) + (len ? len : 1))))
        return -ENOMEM;
    m->len = len;
    m->next = NULL;
    if (copy_from_user(&m->type, a1, sizeof(m->type)) < 0 ||
        copy_from_user(m->data, a1 + sizeof(m->type), len) < 0) {
        kfree(m);
        return -EFAULT;
    }
    if (m->type < 1) {
        kfree(m);
        return -EINVAL;
    }
    while (q->cbytes + len > q->qbytes || q->qnum + 1 > q->qbytes) {
        err = (flags & IPC_NOWAIT) ? -EAGAIN : wait_change(id, q);
        if (err) {
            kfree(m);
            return err;
        }
        q = queue_lookup(id);
    }
    struct msg **pp = &q->head;
    while (*pp)
        pp = &(*pp)->next;
    *pp = m;
    q->cbytes += len;
    q->qnum++;
    q->lspid = proc_current()->pid;
    q->stime = sysv_now();
    sched_wakeup(q);
    return 0;
}

/* The message msgrcv's type argument picks, or NULL. */
static struct msg **pick(struct msg_queue *q, int64_t type, int flags)
{
    struct msg **best = NULL;

    for (struct msg **pp = &q->head; *pp; pp = &(*pp)->next) {
        int64_t t = (*pp)->type;
        if (type == 0)
            return pp;
        if (type > 0 && ((flags & MSG_EXCEPT) ? t != type : t == type))
            return pp;
        if (type < 0 && t <= -type && (!best || t < (*best)->type))
            best = pp;
    }
    return best;
}

static long take(struct msg_queue *q, struct msg **pp, uintptr_t ubuf, size_t size, int flags)
{
    struct msg *m = *pp;
    size_t n = m->len < size ? m->len : size;

    if (m->len > size && !(flags & MSG_NOERROR))
        return -E2BIG;
    if (copy_to_user(ubuf, &m->type, sizeof(m->type)) < 0 || copy_to_user(ubuf + 8, m->data, n) < 0)
        return -EFAULT;   /* the message stays queued */
    *pp = m->next;
    q->cbytes -= m->len;
    q->qnum--;
    q->lrpid = proc_current()->pid;
    q->rtime = sysv_now();
    kfree(m);
    sched_wakeup(q);
    return (long)n;
}

long sys_msgrcv(SYSCALL_ARGS)
{
    int id = (int)a0, flags = (int)a4;
    int64_t type = (int64_t)a3;
    struct msg_queue *q = queue_lookup(id);

    if (!q || (int64_t)a2 < 0)
        return -EINVAL;
    if (flags & MSG_COPY)
        return -ENOSYS;   /* a checkpoint/restore feature, not built */
    for (;;) {
        struct msg **pp = pick(q, type, flags);
        long err;
        if (pp)
            return take(q, pp, a1, a2, flags);
        if (flags & IPC_NOWAIT)
            return -ENOMSG;
        if ((err = wait_change(id, q)) < 0)
            return err;
        q = queue_lookup(id);
    }
}

static long msg_stat(struct msg_queue *q, uintptr_t ubuf)
{
    struct msqid_ds_k ds;

    memset(&ds, 0, sizeof(ds));
    sysv_perm(&q->o, &ds.perm);
    ds.stime = q->stime;
    ds.rtime = q->rtime;
    ds.ctime = q->o.ctime;
    ds.cbytes = q->cbytes;
    ds.qnum = q->qnum;
    ds.qbytes = q->qbytes;
    ds.lspid = q->lspid;
    ds.lrpid = q->lrpid;
    return copy_to_user(ubuf, &ds, sizeof(ds));
}

static long msg_set(struct msg_queue *q, uintptr_t ubuf)
{
    struct msqid_ds_k ds;

    if (copy_from_user(&ds, ubuf, sizeof(ds)) < 0)
        return -EFAULT;
    if (ds.qbytes > MSGMNB_MAX)
        return -EINVAL;
    sysv_set_mode(&q->o, &ds.perm);
    q->qbytes = ds.qbytes;
    sched_wakeup(q);
    return 0;
}

static long remove_queue(struct msg_queue *q)
{
    sysv_remove(&msg_ids, &q->o);
    while (q->head) {
        struct msg *m = q->head;
        q->head = m->next;
        kfree(m);
    }
    sched_wakeup(q);   /* sleepers find the id gone: EIDRM */
    kfree(q);
    return 0;
}

long sys_msgctl(SYSCALL_ARGS)
{
    struct msg_queue *q = queue_lookup((int)a0);

    if (!q)
        return -EINVAL;
    switch ((int)a1 & ~IPC_64) {
    case IPC_STAT: return msg_stat(q, a2);
    case IPC_SET: return msg_set(q, a2);
    case IPC_RMID: return remove_queue(q);
    default: return -EINVAL;
    }
}
