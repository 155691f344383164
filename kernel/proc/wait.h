/* kernel/proc/wait.h: waiting for children. */
#ifndef ANVIL_PROC_WAIT_H
#define ANVIL_PROC_WAIT_H

#define WNOHANG 1
#define WUNTRACED 2
#define WEXITED 4
#define WNOWAIT 0x1000000

/* Wait for a child matching pid (-1 or 0: any) to end: its pid with
 * *status and *exiter filled, 0 (WNOHANG, none ended), -ECHILD, -EINTR. */
long proc_wait(int pid, int options, int *status);

#endif
