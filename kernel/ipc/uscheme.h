/* kernel/ipc/uscheme.h: user schemes: a daemon registers a name by opening
 * ":name" with O_CREAT; the kernel queues requests from callers on that
 * scheme's handles and the daemon reads them and writes replies (the protocol
 * is include/anvil/scheme.h, the story docs/schemes.md). */
#ifndef ANVIL_IPC_USCHEME_H
#define ANVIL_IPC_USCHEME_H

#include "fs/file.h"

/* Register name for the running process (its namespace must allow it): 0 and
 * the server handle in *out, or -EINVAL (bad name or flags), -EACCES, -EEXIST,
 * -ENOMEM. */
int uscheme_register(const char *name, unsigned flags, struct file **out);

/* poll(2) on client handles (kernel/syscall/poll.c). For a client handle of a
 * live user scheme, send the daemon ANVIL_OP_POLL asking for events: the
 * request, or NULL (not such a handle, the daemon is gone, no memory: use
 * f->ops->poll). The reply wakes file_poll_chan. */
struct ipc_req *uscheme_poll_send(struct file *f, unsigned events);
/* Whether r has been answered; if so, the events it reports in *revents
 * (POLLERR | POLLHUP when the daemon died, POLLERR for another error). */
bool uscheme_poll_answered(struct ipc_req *r, unsigned *revents);
/* The poller is done with r; a reply still to come is dropped. */
void uscheme_poll_cancel(struct ipc_req *r);

#endif
