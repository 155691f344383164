/* kernel/syscall/pipe.c: pipe and pipe2. */
#include "fs/fdtable.h"
#include "fs/pipe.h"
#include "lib/errno.h"
#include "proc/proc.h"
#include "syscall/syscall.h"

long sys_pipe2(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    unsigned flags = (unsigned)a1;
    struct file *rd, *wr;
    int err;

    if (flags & ~(unsigned)(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;
    if ((err = pipe_create(flags, &rd, &wr)) < 0)
        return err;
    return fd_install_pair(p, rd, wr, flags & O_CLOEXEC, a0);
}

long sys_pipe(SYSCALL_ARGS)
{
    return sys_pipe2(a0, 0, 0, 0, 0, 0);
}
