/* kernel/fs/lock.h: advisory file locks kept by the kernel, whatever scheme
 * serves the file: POSIX record locks (fcntl F_SETLK/F_SETLKW/F_GETLK, owned
 * by the process), open-file-description locks (F_OFD_*, owned by the
 * struct file) and flock(2) (whole file, owned by the struct file). */
#ifndef ANVIL_FS_LOCK_H
#define ANVIL_FS_LOCK_H

#include <stdbool.h>
#include <stdint.h>

struct file;
struct proc;

/* fcntl commands (Linux values). */
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38

/* True for the fcntl commands lock_fcntl handles. */
bool lock_is_fcntl_cmd(int cmd);
/* fcntl(fd, cmd, struct flock *uarg) on f: 0 or -errno (-EAGAIN, -EINTR,
 * -EDEADLK, -EBADF, -EINVAL, -EFAULT, -ENOLCK). */
long lock_fcntl(struct file *f, int cmd, uintptr_t uarg);
/* flock(2): LOCK_SH, LOCK_EX, LOCK_UN, optionally | LOCK_NB. */
long lock_flock(struct file *f, int op);

/* p closes an fd of f: its POSIX locks on that file go. */
void lock_close(struct proc *p, struct file *f);
/* The last reference to f went: its OFD and flock locks go. */
void lock_file_release(struct file *f);
/* p is ending: whatever POSIX locks it still holds go. */
void lock_proc_exit(struct proc *p);

#endif
