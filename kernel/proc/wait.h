/* kernel/proc/wait.h: waiting for children: exits, stops, continues. */
#ifndef ANVIL_PROC_WAIT_H
#define ANVIL_PROC_WAIT_H

/* Options (Linux uapi/linux/wait.h). */
#define WNOHANG 1
#define WUNTRACED 2            /* also WSTOPPED */
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x1000000
#define WNOTHREAD 0x20000000   /* __WNOTHREAD, __WALL, __WCLONE: accepted, no meaning here */
#define WALL 0x40000000
#define WCLONE 0x80000000u

/* Which children: any, one pid, or one process group. */
enum wait_which { WAIT_ANY, WAIT_PID, WAIT_PGID };

/* What a wait found: the child, its wait4 status word, and waitid's si_code
 * (CLD_*) and si_status. */
struct wait_info {
    int pid;
    int status;
    int code;
    int si_status;
};

/* Wait for a child selected by which/id to exit (WEXITED), stop (WUNTRACED)
 * or continue (WCONTINUED): its pid with *info filled, 0 (WNOHANG and
 * nothing to report), -ECHILD, -EINTR. A report is consumed unless WNOWAIT. */
long proc_wait(enum wait_which which, int id, int options, struct wait_info *info);

#endif
