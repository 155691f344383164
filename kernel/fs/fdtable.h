/* kernel/fs/fdtable.h: a process's handle table: small integers naming
 * struct files, with a close-on-exec flag each. */
#ifndef ANVIL_FS_FDTABLE_H
#define ANVIL_FS_FDTABLE_H

#include <stdbool.h>

#include "fs/file.h"
#include "proc/proc.h"

/* The file behind fd with a new reference, or NULL (then -EBADF). */
struct file *fd_get(struct proc *p, int fd);
/* Install f (taking over the caller's reference) at the lowest free fd >=
 * min: the fd, or -EMFILE. */
int fd_install(struct proc *p, struct file *f, int min, bool cloexec);
/* Install a and b (taking over both references) at the two lowest free
 * fds and write them to the user's int[2] at ufds (pipe2, socketpair): 0,
 * or -EMFILE, -EFAULT with both closed. */
int fd_install_pair(struct proc *p, struct file *a, struct file *b, bool cloexec, uintptr_t ufds);
/* Put f at exactly fd, closing what was there. */
int fd_install_at(struct proc *p, struct file *f, int fd, bool cloexec);
int fd_close(struct proc *p, int fd);
/* Copy every entry (fork); close all (exit); close the O_CLOEXEC ones (exec). */
void fd_copy(struct proc *to, struct proc *from);
void fd_close_all(struct proc *p);
void fd_close_on_exec(struct proc *p);

#endif
