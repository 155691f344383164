/* kernel/proc/jobctl.c: process groups and sessions (POSIX.1-2017 XBD 3.296,
 * 3.343), stopping and continuing, and the SIGCHLD a parent gets for each.
 * Groups and sessions are ids kept in each process; a group exists while
 * some process (zombies too, until reaped) carries its id. */
#include "fs/tty.h"
#include "lib/errno.h"
#include "proc/jobctl.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define INIT_PID 1

long jobctl_getpgid(int pid)
{
    struct proc *p = pid ? proc_find(pid) : proc_current();

    if (pid < 0 || !p)
        return -ESRCH;
    return p->pgid;
}

long jobctl_getsid(int pid)
{
    struct proc *p = pid ? proc_find(pid) : proc_current();

    if (pid < 0 || !p)
        return -ESRCH;
    return p->sid;
}

/* True if any process, zombie or not, carries group id pgid. */
static bool group_exists(int pgid)
{
    for (struct proc *q = proc_first(); q; q = q->all_next)
        if (q->pgid == pgid)
            return true;
    return false;
}

bool jobctl_group_in_session(int pgid, int sid)
{
    for (struct proc *q = proc_first(); q; q = q->all_next)
        if (q->pgid == pgid && q->sid == sid)
            return true;
    return false;
}

/* Linux's order of checks (kernel/sys.c): the target, then its session and
 * exec state, then leadership, then the group it would join. */
long jobctl_setpgid(int pid, int pgid)
{
    struct proc *self = proc_current(), *p;

    if (pid == 0)
        pid = self->pid;
    if (pgid == 0)
        pgid = pid;
    if (pgid < 0)
        return -EINVAL;
    p = pid > 0 ? proc_find(pid) : NULL;
    if (!p || (p != self && p->parent != self))
        return -ESRCH;
    if (p != self && p->sid != self->sid)
        return -EPERM;
    if (p != self && p->did_exec)
        return -EACCES;
    if (p->sid == p->pid)
        return -EPERM;   /* a session leader stays in its group */
    if (pgid != p->pid && !jobctl_group_in_session(pgid, self->sid))
        return -EPERM;
    p->pgid = pgid;
    return 0;
}

long jobctl_setsid(void)
{
    struct proc *self = proc_current();

    if (group_exists(self->pid))
        return -EPERM;   /* a group leader (or its group's id is taken) */
    self->pgid = self->pid;
    self->sid = self->pid;
    self->ctty = NULL;
    return self->pid;
}

int jobctl_signal_group(int pgid, int sig, const struct ksiginfo *si)
{
    bool found = false;

    for (struct proc *q = proc_first(); q; q = q->all_next) {
        if (q->pgid != pgid)
            continue;
        found = true;
        if (sig && q->state == PROC_ALIVE)
            signal_send_proc(q, sig, si);
    }
    return found ? 0 : -ESRCH;
}

bool jobctl_group_orphaned(int pgid)
{
    for (struct proc *q = proc_first(); q; q = q->all_next) {
        struct proc *par = q->parent;
        /* PID 1 and a parent that is exiting (its children go to PID 1) are no link. */
        if (q->pgid != pgid || q->state != PROC_ALIVE || !par || par->pid == INIT_PID ||
            par->state != PROC_ALIVE)
            continue;
        if (par->pgid != pgid && par->sid == q->sid)
            return false;
    }
    return true;
}

static bool group_has_stopped(int pgid)
{
    for (struct proc *q = proc_first(); q; q = q->all_next)
        if (q->pgid == pgid && q->state == PROC_ALIVE && q->stopped)
            return true;
    return false;
}

void jobctl_session_drop_tty(int sid)
{
    for (struct proc *q = proc_first(); q; q = q->all_next)
        if (q->sid == sid)
            q->ctty = NULL;
}

void jobctl_notify_parent(struct proc *p, int code, int status)
{
    struct proc *parent = p->parent;
    struct ksiginfo si = {.code = code, .pid = p->pid, .status = status};
    bool quiet_stop = code == CLD_STOPPED || code == CLD_CONTINUED;

    if (!parent)
        return;
    if (!quiet_stop || !(parent->actions[SIGCHLD].flags & SA_NOCLDSTOP))
        signal_send_proc(parent, SIGCHLD, &si);
    sched_wakeup(parent);   /* its wait4/waitid sleeps on it */
}

/* Let every thread of p see the new state: sleeping ones come out (a stop)
 * and each recomputes whether it has something to act on. */
static void kick_threads(struct proc *p)
{
    for (struct thread *t = sched_threads(); t; t = t->all_next) {
        if (t->proc != p || t->state == THREAD_DEAD)
            continue;
        signal_recalc(t);
        if (t->sig_wake)
            sched_interrupt(t);
    }
}

void jobctl_stop(struct proc *p, int sig)
{
    p->stopped = true;
    p->stop_sig = sig;
    p->wait_report = JOB_REPORT_STOPPED;
    kick_threads(p);
    jobctl_notify_parent(p, CLD_STOPPED, sig);
}

void jobctl_continue(struct proc *p)
{
    if (!p->stopped)
        return;
    p->stopped = false;
    p->wait_report = JOB_REPORT_CONTINUED;
    sched_wakeup(&p->stopped);
    kick_threads(p);
    jobctl_notify_parent(p, CLD_CONTINUED, SIGCONT);
}

/* POSIX _exit(): a group that becomes orphaned with a stopped member gets
 * SIGHUP, then SIGCONT. */
static void hangup_if_orphaned(int pgid)
{
    if (!jobctl_group_orphaned(pgid) || !group_has_stopped(pgid))
        return;
    jobctl_signal_group(pgid, SIGHUP, NULL);
    jobctl_signal_group(pgid, SIGCONT, NULL);
}

/* Called once p is a zombie, before its children are handed on. */
void jobctl_exit(struct proc *p)
{
    struct proc *par = p->parent;

    if (p->sid == p->pid && p->ctty)
        tty_session_end(p->ctty, p->sid);
    /* p was its own group's link to the rest of the session. */
    if (par && par->pgid != p->pgid && par->sid == p->sid)
        hangup_if_orphaned(p->pgid);
    /* Its children (about to go to PID 1) may have lost theirs. */
    for (struct proc *c = proc_first(); c; c = c->all_next)
        if (c->parent == p && c->state == PROC_ALIVE && c->pgid != p->pgid &&
            c->sid == p->sid)
            hangup_if_orphaned(c->pgid);
}
