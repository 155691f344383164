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

#endif
