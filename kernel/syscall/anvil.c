/* kernel/syscall/anvil.c: the Anvil-only calls (include/anvil/syscall.h):
 * narrowing the namespace and the grants; and reboot(2), which powers off
 * with a status for PID 1 or a holder of the power grant. */
#include <anvil/syscall.h>

#include "lib/errno.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "power.h"
#include "proc/proc.h"
#include "syscall/syscall.h"

#define NS_LIST_MAX 4096

long sys_anvil_ns_restrict(SYSCALL_ARGS)
{
    size_t len = a1;
    char *buf;
    long err;

    if (len > NS_LIST_MAX)
        return -EINVAL;
    if (!(buf = kmalloc(len + 1)))
        return -ENOMEM;
    err = copy_from_user(buf, a0, len);
    if (!err)
        err = caps_restrict_names(&proc_current()->caps, buf, len);
    kfree(buf);
    return err;
}

long sys_anvil_grant_restrict(SYSCALL_ARGS)
{
    struct anvil_grant g[ANVIL_GRANTS_MAX];

    if (a1 > ANVIL_GRANTS_MAX)
        return -EINVAL;
    if (copy_from_user(g, a0, a1 * sizeof(g[0])) < 0)
        return -EFAULT;
    return caps_restrict_grants(&proc_current()->caps, g, a1);
}

long sys_anvil_ns_get(SYSCALL_ARGS)
{
    char buf[ANVIL_NS_NAMES_MAX * 33 + 4];
    long n = caps_format_names(&proc_current()->caps, buf, sizeof(buf));

    if (n < 0)
        return n;
    if ((size_t)n > a1)
        return -ERANGE;
    return copy_to_user(a0, buf, (size_t)n) < 0 ? -EFAULT : n;
}

long sys_reboot(SYSCALL_ARGS)
{
    struct proc *p = proc_current();

    if ((uint32_t)a0 != ANVIL_REBOOT_MAGIC1 || (uint32_t)a1 != ANVIL_REBOOT_MAGIC2)
        return -EINVAL;
    if (p->pid != 1 && !caps_granted(&p->caps, ANVIL_GRANT_POWER, 0, 0))
        return -EPERM;
    if ((uint32_t)a2 != ANVIL_REBOOT_POWER_OFF)
        return -EINVAL;
    power_off((int)a3);
}
