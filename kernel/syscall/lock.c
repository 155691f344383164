/* kernel/syscall/lock.c: flock(2); the fcntl lock commands come through
 * sys_fcntl. The lock table is fs/lock.c. */
#include "fs/fdtable.h"
#include "fs/lock.h"
#include "lib/errno.h"
#include "proc/proc.h"
#include "syscall/syscall.h"

long sys_flock(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    long ret;

    if (!f)
        return -EBADF;
    ret = lock_flock(f, (int)a1);
    file_put(f);
    return ret;
}
