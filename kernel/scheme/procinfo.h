/* kernel/scheme/procinfo.h: what ps-like readers are told about a process
 * (state letter, sizes, times), shared by proc:, sys:proc and sysinfo. */
#ifndef ANVIL_SCHEME_PROCINFO_H
#define ANVIL_SCHEME_PROCINFO_H

#include <stddef.h>
#include <stdint.h>

#include "proc/proc.h"

#define PROCINFO_HZ 100   /* clock ticks per second: sysconf(_SC_CLK_TCK), AT_CLKTCK */
#define PROCINFO_COMM_MAX 15   /* Linux's TASK_COMM_LEN - 1: comm is cut here */

/* R: a thread runs or may run; S: all sleep; T: stopped by a signal; Z:
 * exited, not yet reaped. */
char procinfo_state(const struct proc *p);
/* Bytes of its address space's areas, and how many pages of them are in memory. */
size_t procinfo_vm_bytes(const struct proc *p);
size_t procinfo_rss_pages(const struct proc *p);
int procinfo_ppid(const struct proc *p);
/* ns in clock ticks. */
uint64_t procinfo_ticks(uint64_t ns);

#endif
