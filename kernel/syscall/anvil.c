/* kernel/syscall/anvil.c: the Anvil-only calls (include/anvil/syscall.h):
 * narrowing the namespace, the provides set and the grants, reserving
 * service names, a daemon's description of its scheme; and reboot(2), which powers off with a status for PID 1 or
 * a holder of the power grant. */
#include <anvil/syscall.h>

#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "power.h"
#include "proc/proc.h"
#include "scheme/ioport.h"
#include "scheme/registry.h"
#include "scheme/scheme.h"
#include "syscall/syscall.h"

#define NS_LIST_MAX 4096

#define INIT_PID 1

/* A name list from the user (len bytes at ulist) into a fresh buffer. */
static long list_from_user(uintptr_t ulist, size_t len, char **out)
{
    char *buf;

    if (len > NS_LIST_MAX)
        return -EINVAL;
    if (!(buf = kmalloc(len + 1)))
        return -ENOMEM;
    if (copy_from_user(buf, ulist, len) < 0) {
        kfree(buf);
        return -EFAULT;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

long sys_anvil_ns_restrict(SYSCALL_ARGS)
{
    char *buf;
    long err = list_from_user(a0, a1, &buf);

    if (err)
        return err;
    err = caps_restrict_names(&proc_current()->caps, buf, a1);
    kfree(buf);
    return err;
}

long sys_anvil_provides_restrict(SYSCALL_ARGS)
{
    char *buf;
    long err = list_from_user(a0, a1, &buf);

    if (err)
        return err;
    err = caps_restrict_provides(&proc_current()->caps, buf, a1);
    kfree(buf);
    return err;
}

/* Check every name first, so a refused call reserves nothing. */
long sys_anvil_scheme_reserve(SYSCALL_ARGS)
{
    static char names[ANVIL_RESERVED_MAX][CAPS_NAME_MAX + 1];   /* one CPU, no preemption */
    bool star;
    char *buf;
    long err, n;

    if (proc_current()->pid != INIT_PID)
        return -EPERM;
    if ((err = list_from_user(a0, a1, &buf)))
        return err;
    n = caps_split_names(buf, a1, names, ANVIL_RESERVED_MAX, &star);
    kfree(buf);
    if (n == -E2BIG)
        return -ENOSPC;
    if (n < 0 || star)
        return -EINVAL;
    for (long i = 0; i < n; i++)
        if (!scheme_name_valid(names[i], strlen(names[i])))
            return -EINVAL;
    return scheme_reserve(names, (size_t)n);
}

long sys_anvil_grant_restrict(SYSCALL_ARGS)
{
    struct anvil_grant g[ANVIL_GRANTS_MAX];

    if (a1 > ANVIL_GRANTS_MAX)
        return -EINVAL;
    if (copy_from_user(g, a0, a1 * sizeof(g[0])) < 0)
        return -EFAULT;
    long err = caps_restrict_grants(&proc_current()->caps, g, a1);

    if (!err)
        ioport_regrant(proc_current());
    return err;
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

/* A description string: NUL-terminated within size, 1+ printable non-space bytes. */
static bool mount_text_ok(const char *s, size_t size)
{
    size_t n = strnlen(s, size);

    if (n == 0 || n == size)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return false;
    return true;
}

long sys_anvil_mount_describe(SYSCALL_ARGS)
{
    struct anvil_mount_desc d;
    struct scheme *s;

    if (copy_from_user(&d, a0, sizeof(d)) < 0)
        return -EFAULT;
    if (!mount_text_ok(d.scheme, sizeof(d.scheme)) || !mount_text_ok(d.source, sizeof(d.source)) ||
        !mount_text_ok(d.type, sizeof(d.type)))
        return -EINVAL;
    if (!(s = scheme_find(d.scheme)))
        return -ENODEV;
    if (!s->user || s->owner_pid != proc_current()->pid)
        return -EPERM;
    strlcpy(s->mnt_source, d.source, sizeof(s->mnt_source));
    strlcpy(s->mnt_type, d.type, sizeof(s->mnt_type));
    return 0;
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
