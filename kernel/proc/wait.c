/* kernel/proc/wait.c: wait for a child: a zombie is reaped (unless WNOWAIT),
 * a stop or continue is reported once; otherwise sleep on our own proc,
 * which a child's exit, stop or continue wakes. */
#include "lib/errno.h"
#include "proc/exit.h"
#include "proc/jobctl.h"
#include "proc/proc.h"
#include "proc/wait.h"
#include "sched/sched.h"

#define WAIT_STOPPED_WORD 0x7f       /* | sig << 8 */
#define WAIT_CONTINUED_WORD 0xffff

static bool matches(const struct proc *c, enum wait_which which, int id)
{
    return which == WAIT_ANY || (which == WAIT_PID && c->pid == id) ||
           (which == WAIT_PGID && c->pgid == id);
}

static void take_exit(struct proc *self, struct proc *z, int options, struct wait_info *info)
{
    int st = z->exit_status;
    bool killed = (st & 0x7f) != 0;

    *info = (struct wait_info){.pid = z->pid, .status = st,
                               .code = killed ? CLD_KILLED : CLD_EXITED,
                               .si_status = killed ? st & 0x7f : (st >> 8) & 0xff};
    if (options & WNOWAIT)
        return;
    self->children_cpu_ns += z->cpu_ns + z->children_cpu_ns;
    proc_free(z);
}

/* A stop or continue of c that options ask for, taken unless WNOWAIT. */
static bool take_report(struct proc *c, int options, struct wait_info *info)
{
    if (c->wait_report == JOB_REPORT_STOPPED && c->stopped && (options & WUNTRACED)) {
        *info = (struct wait_info){.pid = c->pid, .status = WAIT_STOPPED_WORD | c->stop_sig << 8,
                                   .code = CLD_STOPPED, .si_status = c->stop_sig};
    } else if (c->wait_report == JOB_REPORT_CONTINUED && (options & WCONTINUED)) {
        *info = (struct wait_info){.pid = c->pid, .status = WAIT_CONTINUED_WORD,
                                   .code = CLD_CONTINUED, .si_status = SIGCONT};
    } else {
        return false;
    }
    if (!(options & WNOWAIT))
        c->wait_report = JOB_REPORT_NONE;
    return true;
}

/* One pass over the children: 1 with *info filled, 0 if some child matched,
 * -ECHILD if none did. */
static int scan(struct proc *self, enum wait_which which, int id, int options,
                struct wait_info *info)
{
    bool any = false;

    for (struct proc *c = proc_first(); c; c = c->all_next) {
        if (c->parent != self || !matches(c, which, id))
            continue;
        any = true;
        if (c->state == PROC_ZOMBIE) {
            if (!(options & WEXITED))
                continue;
            take_exit(self, c, options, info);
            return 1;
        }
        if (take_report(c, options, info))
            return 1;
    }
    return any ? 0 : -ECHILD;
}

long proc_wait(enum wait_which which, int id, int options, struct wait_info *info)
{
    struct proc *self = proc_current();

    for (;;) {
        int found = scan(self, which, id, options, info);
        int err;
        if (found < 0)
            return found;
        if (found)
            return info->pid;
        if (options & WNOHANG)
            return 0;
        if ((err = sched_sleep(self, 0, true)) < 0)
            return err;
    }
}
