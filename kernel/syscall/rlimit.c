/* kernel/syscall/rlimit.c: getrlimit, setrlimit and prlimit64 (struct
 * rlimit and struct rlimit64 are the same two u64s on x86_64). */
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "syscall/syscall.h"

long sys_prlimit64(SYSCALL_ARGS)
{
    struct proc *p = a0 ? proc_find((int)a0) : proc_current();
    struct rlimit_k new, old;
    int res = (int)a1, err;

    if (res < 0 || res >= RLIMIT_NLIMITS)
        return -EINVAL;
    if ((int)a0 < 0 || !p || p->state != PROC_ALIVE)
        return -ESRCH;
    if (a2 && copy_from_user(&new, a2, sizeof(new)) < 0)
        return -EFAULT;
    if ((err = rlimit_change(p, res, a2 ? &new : NULL, &old)) < 0)
        return err;
    if (a3 && copy_to_user(a3, &old, sizeof(old)) < 0)
        return -EFAULT;
    return 0;
}

long sys_getrlimit(SYSCALL_ARGS)
{
    return sys_prlimit64(0, a0, 0, a1, 0, 0);
}

long sys_setrlimit(SYSCALL_ARGS)
{
    if (!a1)
        return -EFAULT;
    return sys_prlimit64(0, a0, a1, 0, 0, 0);
}
