/* kernel/proc/exit.h: ending threads and processes. */
#ifndef ANVIL_PROC_EXIT_H
#define ANVIL_PROC_EXIT_H

#include <stdnoreturn.h>

#include "proc/proc.h"

/* Wait statuses (as wait4 reports them). */
#define WAIT_EXITED(code) (((code) & 0xff) << 8)
#define WAIT_SIGNALED(sig) ((sig) & 0x7f)

typedef void (*proc_init_exit_fn)(int wait_status);

/* End the calling thread; the last thread ends the process. */
noreturn void proc_exit_thread(void);
/* End every thread of the calling process with a wait status. */
noreturn void proc_exit_group(int wait_status);
/* What happens when PID 1 ends (main.c powers off or stays). */
void proc_set_init_exit_hook(proc_init_exit_fn fn);

#endif
