/* kernel/proc/jobctl.h: POSIX job control: process groups, sessions,
 * stopping and continuing processes, and what their parents are told. */
#ifndef ANVIL_PROC_JOBCTL_H
#define ANVIL_PROC_JOBCTL_H

#include <stdbool.h>

#include "proc/proc.h"

/* proc->wait_report: a state change a waiting parent has not consumed. */
#define JOB_REPORT_NONE 0
#define JOB_REPORT_STOPPED 1
#define JOB_REPORT_CONTINUED 2

/* setpgid(2), setsid(2), getpgid(2), getsid(2): the Linux results and errors. */
long jobctl_setpgid(int pid, int pgid);
long jobctl_setsid(void);
long jobctl_getpgid(int pid);
long jobctl_getsid(int pid);

/* sig (0: only look) to every live member of group pgid: 0, or -ESRCH when the
 * group has no members. */
int jobctl_signal_group(int pgid, int sig, const struct ksiginfo *si);
/* True if some process of session sid is in group pgid. */
bool jobctl_group_in_session(int pgid, int sid);
/* POSIX orphaned: no member has a parent in another group of its session. */
bool jobctl_group_orphaned(int pgid);
/* Every process of session sid loses its controlling terminal. */
void jobctl_session_drop_tty(int sid);

/* A stop signal's default action: p stops (its threads park on their way to
 * user mode) and its parent is told. */
void jobctl_stop(struct proc *p, int sig);
/* SIGCONT was sent: a stopped p continues and its parent is told. */
void jobctl_continue(struct proc *p);
/* SIGCHLD to p's parent with code CLD_* and status (stops and continues only
 * unless the parent set SA_NOCLDSTOP), and wake its wait. */
void jobctl_notify_parent(struct proc *p, int code, int status);
/* p has just become a zombie: groups it orphaned that have stopped members
 * get SIGHUP and SIGCONT; a session leader's terminal is let go. */
void jobctl_exit(struct proc *p);

#endif
