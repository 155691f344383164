/* kernel/syscall/pipe.c: pipe and pipe2. */
#include "fs/fdtable.h"
#include "fs/pipe.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "syscall/syscall.h"

long sys_pipe2(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    unsigned flags = (unsigned)a1;
    struct file *rd, *wr;
    int fds[2], err;

    if (flags & ~(unsigned)(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;
    if ((err = pipe_create(flags, &rd, &wr)) < 0)
        return err;
    fds[0] = fd_install(p, rd, 0, flags & O_CLOEXEC);
    fds[1] = fds[0] < 0 ? -EMFILE : fd_install(p, wr, 0, flags & O_CLOEXEC);
    if (fds[1] >= 0 && copy_to_user(a0, fds, sizeof(fds)) == 0)
        return 0;
    err = fds[1] >= 0 ? -EFAULT : -EMFILE;
    if (fds[0] >= 0)
        fd_close(p, fds[0]);
    else
        file_put(rd);
    if (fds[1] >= 0)
        fd_close(p, fds[1]);
    else
        file_put(wr);
    return err;
}

long sys_pipe(SYSCALL_ARGS)
{
    return sys_pipe2(a0, 0, 0, 0, 0, 0);
}
