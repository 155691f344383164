/* kernel/proc/cmdline.c: the saved argv and program path of a process (see
 * cmdline.h). */
#include "lib/string.h"
#include "mm/kmem.h"
#include "proc/cmdline.h"

static char *copy_of(const char *s, size_t len)
{
    char *c = len ? kmalloc(len) : NULL;

    if (c)
        memcpy(c, s, len);
    return c;
}

static void keep(struct proc *p, const char *exe, const char *argv, size_t len)
{
    char *args, *path;

    if (len > PROC_CMDLINE_MAX)
        len = PROC_CMDLINE_MAX;
    args = copy_of(argv, len);
    path = exe ? copy_of(exe, strlen(exe) + 1) : NULL;
    proc_cmdline_free(p);
    p->cmdline = args;
    p->cmdline_len = args ? len : 0;
    p->exe = path;
}

void proc_cmdline_set(struct proc *p, const char *exe, const char *strings, int argc)
{
    size_t len = 0;

    for (int i = 0; i < argc && len < PROC_CMDLINE_MAX; i++)
        len += strlen(strings + len) + 1;
    keep(p, exe, strings, len);
}

void proc_cmdline_inherit(struct proc *child, const struct proc *parent)
{
    keep(child, parent->exe, parent->cmdline, parent->cmdline_len);
}

void proc_cmdline_free(struct proc *p)
{
    kfree(p->cmdline);
    kfree(p->exe);
    p->cmdline = NULL;
    p->cmdline_len = 0;
    p->exe = NULL;
}
