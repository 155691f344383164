/* kernel/proc/init.h: starting PID 1 from the initfs. */
#ifndef ANVIL_PROC_INIT_H
#define ANVIL_PROC_INIT_H

/* Start argv[0] (an absolute initfs path) as PID 1 with the console on
 * fds 0, 1, 2. 0, or -errno (the reason is printed). */
int proc_start_init(const char *const *argv, int argc);

#endif
