/* kernel/sched/sched.c: run queue, context switch, sleep and wake-up, the
 * timer tick. The kernel runs with interrupts off; only the idle loop
 * enables them, so a switch never happens in the middle of kernel code. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/interrupts.h"
#include "arch/x86_64/switch.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/tss.h"
#include "lib/errno.h"
#include "lib/kassert.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "sched/loadavg.h"
#include "sched/sched.h"

/* Weighted round robin: the time slice in ticks by nice value. */
#define SLICE_TICKS_HIGH 4     /* nice -20 .. -10 */
#define SLICE_TICKS_RAISED 3   /* nice -9 .. -1 */
#define SLICE_TICKS 2          /* nice 0 .. 9 */
#define SLICE_TICKS_LOW 1      /* nice 10 .. 19 */

/* The scheduler's state (single CPU, interrupts off). */
static struct thread idle_thread;
static struct thread *current = &idle_thread;
static struct thread *run_head, *run_tail;
static struct thread *all_threads;
static bool resched;
static uint64_t switch_stamp;   /* when current started running */
static uint64_t busy_ns;        /* time run by threads of processes, all of them ever */
#define TICK_HOOKS_MAX 4
static sched_tick_fn tick_hooks[TICK_HOOKS_MAX];

struct thread *sched_current(void)
{
    return current;
}

static void enqueue(struct thread *t)
{
    t->state = THREAD_RUNNABLE;
    t->run_next = NULL;
    if (run_tail)
        run_tail->run_next = t;
    else
        run_head = t;
    run_tail = t;
}

static struct thread *dequeue(void)
{
    struct thread *t = run_head;

    if (t) {
        run_head = t->run_next;
        if (!run_head)
            run_tail = NULL;
    }
    return t;
}

void sched_register(struct thread *t)
{
    t->all_next = all_threads;
    all_threads = t;
}

/* Free the threads that died, except the one whose stack we stand on. */
static void reap(void)
{
    struct thread **pp = &all_threads;

    while (*pp) {
        struct thread *t = *pp;
        if (t->state == THREAD_DEAD && t != current) {
            *pp = t->all_next;
            thread_free(t);
            continue;
        }
        pp = &t->all_next;
    }
}

static unsigned slice_for(const struct thread *t)
{
    int nice = t->proc ? t->proc->nice : 0;

    if (nice <= -10)
        return SLICE_TICKS_HIGH;
    if (nice < 0)
        return SLICE_TICKS_RAISED;
    return nice < 10 ? SLICE_TICKS : SLICE_TICKS_LOW;
}

/* Charge the running thread (and its process) for its time so far; the
 * idle thread's time is the CPU's idle time, the rest busy time. */
static void account(void)
{
    uint64_t now = clock_monotonic_ns();

    current->cpu_ns += now - switch_stamp;
    if (current->proc) {
        current->proc->cpu_ns += now - switch_stamp;
        busy_ns += now - switch_stamp;
    }
    switch_stamp = now;
}

uint64_t sched_idle_ns(void)
{
    return sched_thread_cpu_ns(&idle_thread);
}

uint64_t sched_busy_ns(void)
{
    return busy_ns + (current != &idle_thread ? clock_monotonic_ns() - switch_stamp : 0);
}

uint64_t sched_thread_cpu_ns(const struct thread *t)
{
    return t->cpu_ns + (t == current ? clock_monotonic_ns() - switch_stamp : 0);
}

uint64_t sched_proc_cpu_ns(const struct proc *p)
{
    return p->cpu_ns + (current->proc == p ? clock_monotonic_ns() - switch_stamp : 0);
}

static void switch_to(struct thread *next)
{
    struct thread *prev = current;

    next->state = THREAD_RUNNING;
    next->slice = slice_for(next);
    resched = false;
    if (prev == next)
        return;
    account();
    if (prev->proc)
        x86_fxsave(prev->fpu);
    current = next;
    if (next->proc) {
        x86_fxrstor(next->fpu);
        x86_wrmsr(X86_MSR_FS_BASE, next->fs_base);
        x86_tss_set_rsp0(next->kstack_top);
        x86_tss_set_iomap(next->proc->iomap);
        vm_activate(next->proc->vm);
    }
    x86_switch(&prev->ksp, next->ksp);
    reap();
}

static void schedule(void)
{
    struct thread *n = dequeue();

    switch_to(n ? n : &idle_thread);
}

/* First code of a new thread (from x86_thread_entry): it may have been
 * killed or signalled before it ever ran. */
void sched_thread_start(struct x86_regs *r);
void sched_thread_start(struct x86_regs *r)
{
    reap();
    x86_trap_user_return(r);
}

void sched_add(struct thread *t)
{
    enqueue(t);
}

void sched_yield(void)
{
    if (current != &idle_thread)
        enqueue(current);
    schedule();
}

bool sched_need_resched(void)
{
    return resched;
}

int sched_sleep(const void *chan, uint64_t deadline, bool interruptible)
{
    struct thread *t = current;

    kassert(t != &idle_thread);
    if (interruptible && (t->killed || t->sig_wake))
        return -EINTR;
    if (deadline && clock_monotonic_ns() >= deadline)
        return -ETIMEDOUT;
    t->wchan = chan;
    t->wake_at = deadline;
    t->interruptible = interruptible;
    t->timed_out = false;
    t->state = THREAD_SLEEPING;
    schedule();
    t->wchan = NULL;
    if (t->timed_out)
        return -ETIMEDOUT;
    if (interruptible && (t->killed || t->sig_wake))
        return -EINTR;
    return 0;
}

static void wake(struct thread *t)
{
    t->wchan = NULL;
    t->wake_at = 0;
    enqueue(t);
}

void sched_wakeup(const void *chan)
{
    for (struct thread *t = all_threads; t; t = t->all_next)
        if (t->state == THREAD_SLEEPING && t->wchan == chan)
            wake(t);
}

int sched_wakeup_n(const void *chan, int n)
{
    int woken = 0;

    for (struct thread *t = all_threads; t && woken < n; t = t->all_next) {
        if (t->state == THREAD_SLEEPING && t->wchan == chan) {
            wake(t);
            woken++;
        }
    }
    return woken;
}

int sched_requeue(const void *chan, const void *to, int n)
{
    int moved = 0;

    for (struct thread *t = all_threads; t && moved < n; t = t->all_next) {
        if (t->state == THREAD_SLEEPING && t->wchan == chan) {
            t->wchan = to;
            moved++;
        }
    }
    return moved;
}

struct thread *sched_threads(void)
{
    return all_threads;
}

void sched_interrupt(struct thread *t)
{
    if (t->state == THREAD_SLEEPING && (t->interruptible || t->killed))
        wake(t);
}

noreturn void sched_exit_current(void)
{
    current->state = THREAD_DEAD;
    schedule();
    for (;;)
        x86_halt_forever();
}

void sched_add_tick_hook(sched_tick_fn fn)
{
    for (int i = 0; i < TICK_HOOKS_MAX; i++) {
        if (!tick_hooks[i]) {
            tick_hooks[i] = fn;
            return;
        }
    }
    kassert(!"too many tick hooks");
}

static void tick(struct x86_regs *r)
{
    uint64_t now = clock_monotonic_ns();

    (void)r;
    x86_interrupt_done();
    for (struct thread *t = all_threads; t; t = t->all_next) {
        if (t->state == THREAD_SLEEPING && t->wake_at && t->wake_at <= now) {
            t->timed_out = true;
            wake(t);
        }
    }
    for (int i = 0; i < TICK_HOOKS_MAX && tick_hooks[i]; i++)
        tick_hooks[i]();
    if (current != &idle_thread && current->slice > 0)
        current->slice--;
    if (current != &idle_thread && current->slice == 0 && run_head)
        resched = true;
}

void sched_prepare_stack(struct thread *t)
{
    uint64_t *sp = (uint64_t *)t->frame;

    *--sp = (uint64_t)x86_thread_entry;
    for (int i = 0; i < X86_SWITCH_SAVED_REGS; i++)
        *--sp = 0;
    t->ksp = (uint64_t)sp;
}

void sched_init(void)
{
    idle_thread.state = THREAD_RUNNING;
    x86_irq_register(X86_VECTOR_TIMER, tick);
    loadavg_init();
}

noreturn void sched_start(void)
{
    switch_stamp = clock_monotonic_ns();   /* boot time is neither idle nor a process's */
    for (;;) {
        if (run_head)
            schedule();
        else
            x86_sti_hlt();
    }
}
