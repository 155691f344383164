/* kernel/fs/pty.h: pseudo-terminal pairs, /dev/ptmx (the master) and
 * /dev/pts/N (the slave, a tty), as Linux's Unix 98 ptys. */
#ifndef ANVIL_FS_PTY_H
#define ANVIL_FS_PTY_H

#include "fs/file.h"

#define PTY_MAX 64            /* pairs at once: N in /dev/pts/N is below it */

/* A new pair; the master file in *out (flags: O_ACCMODE, O_NONBLOCK). The
 * slave is locked until TIOCSPTLCK unlocks it. 0, -ENOSPC (all in use),
 * -ENOMEM. */
int pty_open_master(unsigned flags, struct file **out);
/* /dev/pts/n (flags as tty_open's): 0, -ENOENT (no such pair), -EIO (locked
 * or hung up), -ENOMEM. */
int pty_open_slave(unsigned n, unsigned flags, struct file **out);
/* Pair n exists and its master is open (it is listed in /dev/pts). */
bool pty_live(unsigned n);
/* stat of /dev/pts/n without opening it: 0 or -ENOENT. */
int pty_slave_stat(unsigned n, struct kstat *st);
/* stat of /dev/ptmx. */
void pty_master_stat(struct kstat *st);

#endif
