/* kernel/syscall/prctl.c: prctl(2), the operations programs use: the process
 * name (PR_SET_NAME, PR_GET_NAME; shells and daemons set it, ps and
 * /proc/PID/comm show it). Anything else is EINVAL, as Linux answers an
 * option it does not know. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "syscall/syscall.h"

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define TASK_COMM_LEN 16    /* Linux's comm: 15 characters and a NUL */

long sys_prctl(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    char name[TASK_COMM_LEN];
    long n;

    switch (a0) {
    case PR_SET_NAME:
        /* longer names are cut to 15 characters, as on Linux */
        n = strncpy_from_user(name, a1, sizeof name);
        if (n == -ENAMETOOLONG)
            n = copy_from_user(name, a1, sizeof name - 1) < 0 ? -EFAULT : 0;
        if (n < 0)
            return n;
        name[sizeof name - 1] = '\0';
        strlcpy(p->name, name, sizeof p->name);
        return 0;
    case PR_GET_NAME:
        memset(name, 0, sizeof name);
        strlcpy(name, p->name, sizeof name);
        return copy_to_user(a1, name, sizeof name) < 0 ? -EFAULT : 0;
    default:
        return -EINVAL;
    }
}
