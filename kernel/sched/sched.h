/* kernel/sched/sched.h: the scheduler: one CPU, a round-robin run queue
 * with a time slice, sleeping on a channel with an optional deadline, and
 * preemption when a slice runs out in user mode. */
#ifndef ANVIL_SCHED_SCHED_H
#define ANVIL_SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>

struct thread;
struct proc;

typedef void (*sched_tick_fn)(void);

/* Take over the timer; the boot thread becomes the idle thread. */
void sched_init(void);
/* Run threads forever; the caller becomes the idle loop. */
noreturn void sched_start(void);

struct thread *sched_current(void);
void sched_add(struct thread *t);
void sched_yield(void);
/* True when the running thread's slice is used up and others wait. */
bool sched_need_resched(void);

/* Sleep on chan until sched_wakeup(chan), the deadline (monotonic ns; 0:
 * none) or, if interruptible, a signal or kill: 0, -ETIMEDOUT, -EINTR. */
int sched_sleep(const void *chan, uint64_t deadline, bool interruptible);
void sched_wakeup(const void *chan);
/* Wake at most n sleepers on chan (oldest registered last); how many woke. */
int sched_wakeup_n(const void *chan, int n);
/* Move up to n sleepers from chan to to (futex requeue); how many moved. */
int sched_requeue(const void *chan, const void *to, int n);
/* The list of every thread (linked through all_next). */
struct thread *sched_threads(void);
/* Wake t if it sleeps interruptibly (a signal or kill arrived). */
void sched_interrupt(struct thread *t);
/* The running thread is dead: switch away for good (sched frees it). */
noreturn void sched_exit_current(void);
/* Call fn on every timer tick (the console polls its input, interval
 * timers expire); a few hooks at most, registered at boot. */
void sched_add_tick_hook(sched_tick_fn fn);
/* Stacks for new threads: the frame sits at the top, below it a switch
 * frame returning into x86_thread_entry. */
void sched_prepare_stack(struct thread *t);
/* CPU time used so far (ns), the running slice included. */
uint64_t sched_thread_cpu_ns(const struct thread *t);
uint64_t sched_proc_cpu_ns(const struct proc *p);
/* Since the scheduler started: time the CPU idled, and time it ran
 * processes' threads (kernel work they cause included). */
uint64_t sched_idle_ns(void);
uint64_t sched_busy_ns(void);
/* Every thread (for wakeups and signals). */
void sched_register(struct thread *t);

#endif
