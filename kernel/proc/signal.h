/* kernel/proc/signal.h: sending signals, the default actions, and running
 * user handlers on a Linux-compatible rt_sigframe. */
#ifndef ANVIL_PROC_SIGNAL_H
#define ANVIL_PROC_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/regs.h"
#include "proc/proc.h"

/* Queue sig for the process (any thread that does not block it takes it). */
int signal_send_proc(struct proc *p, int sig, const struct ksiginfo *info);
/* Queue sig for one thread (faults, tgkill). */
int signal_send_thread(struct thread *t, int sig, const struct ksiginfo *info);
/* Before returning to user mode: act on one pending, unblocked signal. */
void signal_deliver(struct x86_regs *r);
/* rt_sigreturn: restore the context saved when the handler ran. */
long signal_sigreturn(struct x86_regs *r);
/* Recompute whether t has something deliverable (after mask changes). */
void signal_recalc(struct thread *t);
/* True if sp lies on t's alternate signal stack. */
bool signal_on_altstack(const struct thread *t, uintptr_t sp);
/* exec: handled signals go back to their default action. */
void signal_reset_on_exec(struct proc *p);
/* True when sig's default action is to ignore it. */
bool signal_default_ignored(int sig);
/* SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: their default action stops. */
bool signal_is_stop(int sig);
/* The terminal's test (Linux is_ignored): t ignores or blocks sig. */
bool signal_ignored_or_blocked(struct thread *t, int sig);

#endif
