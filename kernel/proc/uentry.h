/* kernel/proc/uentry.h: the process layer's side of traps: exceptions in
 * user mode and the last stop before returning to user mode. */
#ifndef ANVIL_PROC_UENTRY_H
#define ANVIL_PROC_UENTRY_H

/* Register the hooks with arch/x86_64/trap.c. */
void uentry_init(void);

#endif
