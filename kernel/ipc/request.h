/* kernel/ipc/request.h: inside the user-scheme IPC: a scheme's request queues
 * and one request's life: new -> queued (sent) -> pending (read by the
 * daemon, window mapped) -> done (replied, or failed when the daemon died).
 * Single CPU, kernel not preemptible: no locks. */
#ifndef ANVIL_IPC_REQUEST_H
#define ANVIL_IPC_REQUEST_H

#include <anvil/scheme.h>
#include <stdbool.h>
#include <stddef.h>

#include "ipc/fcache.h"
#include "scheme/scheme.h"

struct vm_space;
struct ipc_req;

struct uscheme {
    struct scheme scheme;          /* registered while the daemon lives; priv = this */
    unsigned refs;                 /* the server handle and every client handle */
    bool dead;                     /* the daemon is gone: every request fails with ENODEV */
    uint64_t next_id;
    struct ipc_req *queue, *queue_tail;   /* sent, not yet read by the daemon */
    struct ipc_req *pending;       /* read by the daemon, not yet answered */
    struct fcache fc;              /* what the kernel keeps of its files (fcache.h) */
};

enum ipc_req_state { REQ_NEW, REQ_QUEUED, REQ_PENDING, REQ_DONE };
/* What a reply copies back from the window: nothing, min(result, length), all of it. */
enum ipc_copy { COPY_NONE, COPY_RESULT, COPY_ALL };

struct ipc_req {
    struct anvil_packet pkt;
    struct uscheme *us;
    enum ipc_req_state state;
    bool orphan;                   /* nobody waits (close, or the caller gave up): freed when done */
    enum ipc_copy copy;
    bool reply_stat;               /* an OPEN reply brought the file's anvil_stat in buf */
    uint8_t *buf;                  /* the window's bytes in the kernel */
    uint64_t frames;               /* buf's first frame when it is a run of whole frames
                                      (big windows: mapped into the daemon as they are) */
    size_t in_len, win_len;        /* bytes that go in; the window's length */
    uintptr_t win_addr;            /* where the window is mapped in the daemon */
    size_t win_map;
    struct vm_space *win_vm;       /* the daemon's space (a reference) while mapped */
    void (*done)(struct ipc_req *r);   /* called as r is freed (r->pkt.result: the reply) */
    void *done_arg;
    struct ipc_req *next;
};

/* A request with a zeroed window of win_len bytes (0: none); NULL: no memory. */
struct ipc_req *ipc_req_new(struct uscheme *us, uint32_t op, uint64_t handle, size_t win_len);
/* Send r and sleep until the reply: its result, -ENODEV (daemon gone), -EINTR. */
long ipc_call(struct ipc_req *r);
/* The caller is done with r (after ipc_call, whatever it returned). */
void ipc_req_put(struct ipc_req *r);
/* Send r without sleeping; the caller checks r->state for REQ_DONE (the
 * reply, or -ENODEV) and puts r when done (an unanswered r becomes an orphan). */
void ipc_send(struct ipc_req *r);
/* Send r with nobody waiting for the answer (close). */
void ipc_send_async(struct ipc_req *r);
/* r got its answer (r is no longer on a list): wake its caller or free it. */
void ipc_complete(struct ipc_req *r, int64_t result);
void ipc_window_unmap(struct ipc_req *r);
void uscheme_put(struct uscheme *us);

/* The user scheme's ops (client.c). */
extern const struct scheme_ops uscheme_ops;

#endif
