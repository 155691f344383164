/* kernel/proc/wait.c: wait for a child: a zombie child is reaped (unless
 * WNOWAIT); otherwise sleep on our own proc until a child ends. */
#include "lib/errno.h"
#include "proc/proc.h"
#include "proc/wait.h"
#include "sched/sched.h"

static bool matches(const struct proc *c, int pid)
{
    return pid <= 0 || c->pid == pid;
}

/* A zombie child matching pid, or NULL; *any says whether a child matched. */
static struct proc *find_zombie(struct proc *self, int pid, bool *any)
{
    *any = false;
    for (struct proc *c = proc_first(); c; c = c->all_next) {
        if (c->parent != self || !matches(c, pid))
            continue;
        *any = true;
        if (c->state == PROC_ZOMBIE)
            return c;
    }
    return NULL;
}

long proc_wait(int pid, int options, int *status)
{
    struct proc *self = proc_current();

    for (;;) {
        bool any;
        struct proc *z = find_zombie(self, pid, &any);
        if (z) {
            int zpid = z->pid;
            *status = z->exit_status;
            if (!(options & WNOWAIT)) {
                self->children_cpu_ns += z->cpu_ns + z->children_cpu_ns;
                proc_free(z);
            }
            return zpid;
        }
        if (!any)
            return -ECHILD;
        if (options & WNOHANG)
            return 0;
        int err = sched_sleep(self, 0, true);
        if (err)
            return err;
    }
}
