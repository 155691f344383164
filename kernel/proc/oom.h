/* kernel/proc/oom.h: what happens when user memory runs out: a reserve
 * kept for the kernel and PID 1, and a victim chosen by size. */
#ifndef ANVIL_PROC_OOM_H
#define ANVIL_PROC_OOM_H

#include <stdint.h>

/* Set the frame reserve (after pmm_init). */
void oom_init(void);

/* A user page fault at addr found no frame. Either a victim is killed (or
 * is still dying) and the caller retries the fault, or the running
 * process is the one to go and this does not return. */
void oom_fault(uintptr_t addr);

#endif
