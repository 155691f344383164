/* kernel/ipc/request.c: sending requests and waiting for replies (see
 * request.h). A caller sleeps on its request; the daemon's reply or death
 * wakes it. A caller that gives up (a signal, or killed) leaves a pending
 * request behind as an orphan, freed when the reply comes or the daemon dies. */
#include "arch/x86_64/paging.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "ipc/request.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "mm/vm.h"

/* Windows of at least this many bytes are whole frames the daemon maps as
 * they are: no copy into its memory, no page faults there, and a reply's
 * pages can go straight into the file cache. Smaller ones are heap copies. */
#define FRAME_WINDOW_MIN (2 * VM_PAGE_SIZE)

static size_t window_pages(size_t len)
{
    return (len + VM_PAGE_SIZE - 1) / VM_PAGE_SIZE;
}

/* r's window buffer: frames if it is big and a run is free, else the heap. */
static bool window_alloc(struct ipc_req *r, size_t win_len)
{
    if (win_len >= FRAME_WINDOW_MIN && (r->frames = pmm_alloc_pages(window_pages(win_len)))) {
        r->buf = x86_phys_to_virt(r->frames);   /* zeroed past the input when mapped */
        return true;
    }
    return (r->buf = kzalloc(win_len)) != NULL;
}

static void window_free(struct ipc_req *r)
{
    if (!r->frames) {
        kfree(r->buf);
        return;
    }
    for (size_t i = 0; i < window_pages(r->win_len); i++)
        pmm_unref(r->frames + i * VM_PAGE_SIZE);   /* the file cache may keep some */
}
#include "proc/proc.h"
#include "sched/sched.h"

struct ipc_req *ipc_req_new(struct uscheme *us, uint32_t op, uint64_t handle, size_t win_len)
{
    struct ipc_req *r = kzalloc(sizeof(*r));

    if (!r)
        return NULL;
    if (win_len && !window_alloc(r, win_len)) {
        kfree(r);
        return NULL;
    }
    r->win_len = win_len;
    r->us = us;
    us->refs++;   /* the scheme outlives its requests, even when the daemon exits meanwhile */
    r->pkt.op = op;
    r->pkt.handle = handle;
    return r;
}

static void req_free(struct ipc_req *r)
{
    struct uscheme *us = r->us;

    if (r->done)
        r->done(r);
    if (r->win_len)
        window_free(r);
    kfree(r);
    uscheme_put(us);
}

static void enqueue(struct ipc_req *r)
{
    struct uscheme *us = r->us;
    struct proc *p = proc_current();

    r->pkt.id = ++us->next_id;
    r->pkt.pid = p ? (uint32_t)p->pid : 0;
    r->state = REQ_QUEUED;
    r->next = NULL;
    if (us->queue_tail)
        us->queue_tail->next = r;
    else
        us->queue = r;
    us->queue_tail = r;
    sched_wakeup(us);
    file_poll_notify();
}

long ipc_call(struct ipc_req *r)
{
    if (r->us->dead)
        return -ENODEV;
    enqueue(r);
    while (r->state != REQ_DONE) {
        int err = sched_sleep(r, 0, true);
        if (err && r->state != REQ_DONE)
            return err;
    }
    return r->pkt.result;
}

void ipc_send(struct ipc_req *r)
{
    if (r->us->dead) {
        r->pkt.result = -ENODEV;
        r->state = REQ_DONE;
        return;
    }
    enqueue(r);
}

void ipc_send_async(struct ipc_req *r)
{
    if (r->us->dead) {
        r->pkt.result = -ENODEV;
        req_free(r);
        return;
    }
    r->orphan = true;
    enqueue(r);
}

static void unqueue(struct ipc_req *r)
{
    struct uscheme *us = r->us;
    struct ipc_req *prev = NULL;

    for (struct ipc_req *q = us->queue; q; prev = q, q = q->next) {
        if (q != r)
            continue;
        if (prev)
            prev->next = r->next;
        else
            us->queue = r->next;
        if (us->queue_tail == r)
            us->queue_tail = prev;
        return;
    }
}

void ipc_req_put(struct ipc_req *r)
{
    if (r->state == REQ_PENDING) {
        r->orphan = true;
        return;
    }
    if (r->state == REQ_QUEUED)
        unqueue(r);
    req_free(r);
}

void ipc_window_unmap(struct ipc_req *r)
{
    if (!r->win_vm)
        return;
    vm_unmap(r->win_vm, r->win_addr, r->win_map);
    vm_space_put(r->win_vm);
    r->win_vm = NULL;
}

/* A handle opened for a caller that is gone: give it back. */
static void close_orphan_handle(struct ipc_req *r)
{
    struct ipc_req *c;

    if ((r->pkt.op != ANVIL_OP_OPEN && r->pkt.op != ANVIL_OP_DUP) || r->pkt.result < 0 ||
        r->us->dead)
        return;
    c = ipc_req_new(r->us, ANVIL_OP_CLOSE, (uint64_t)r->pkt.result, 0);
    if (c)
        ipc_send_async(c);
}

void ipc_complete(struct ipc_req *r, int64_t result)
{
    ipc_window_unmap(r);
    r->pkt.result = result;
    r->state = REQ_DONE;
    if (r->orphan) {
        close_orphan_handle(r);
        req_free(r);
        return;
    }
    sched_wakeup(r);
    if (r->pkt.op == ANVIL_OP_POLL)
        file_poll_notify();   /* pollers sleep on file_poll_chan */
}

void uscheme_put(struct uscheme *us)
{
    if (--us->refs == 0)
        kfree(us);
}
