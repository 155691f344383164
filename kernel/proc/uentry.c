/* kernel/proc/uentry.c: a user-mode page fault is resolved (demand zero,
 * copy-on-write) or becomes SIGSEGV; other exceptions become their signal.
 * A fatal signal ends only that process, with a one-line log. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "mm/vm.h"
#include "proc/exit.h"
#include "proc/proc.h"
#include "proc/oom.h"
#include "proc/signal.h"
#include "proc/uentry.h"
#include "sched/sched.h"

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define BUS_ADRALN 1
#define TRAP_BRKPT 1
#define VECTOR_DB 1
#define VECTOR_BP 3
#define VECTOR_AC 17

static int signal_for(uint64_t vector, int *code)
{
    switch (vector) {
    case X86_TRAP_PF:
    case X86_TRAP_GP:
    case 10: case 11: case 12:   /* #TS #NP #SS */
        *code = SEGV_MAPERR;
        return SIGSEGV;
    case X86_TRAP_UD:
        *code = ILL_ILLOPN;
        return SIGILL;
    case X86_TRAP_DE:
    case X86_TRAP_MF:
    case X86_TRAP_XM:
        *code = FPE_INTDIV;
        return SIGFPE;
    case VECTOR_AC:
        *code = BUS_ADRALN;
        return SIGBUS;
    case VECTOR_DB:
    case VECTOR_BP:
        *code = TRAP_BRKPT;
        return SIGTRAP;
    default:
        *code = 0;
        return SIGSEGV;
    }
}

/* Fatal unless a handler is installed and the signal is not blocked. */
static bool handled(struct thread *t, int sig)
{
    struct ksigaction *a = &t->proc->actions[sig];

    return a->handler > SIG_IGN_HANDLER && !(t->sigmask & SIG_BIT(sig));
}

static void user_fault(struct x86_regs *r)
{
    struct thread *t = sched_current();
    uint64_t addr = r->vector == X86_TRAP_PF ? x86_read_cr2() : 0;
    struct ksiginfo si = {.addr = addr};
    int sig;

    if (r->vector == X86_TRAP_PF) {
        int err = vm_fault(t->proc->vm, addr, r->error & X86_PF_WRITE, r->error & X86_PF_FETCH);
        if (err == 0)
            return;
        if (err == -ENOMEM) {
            oom_fault(addr);   /* returns when the fault is worth retrying */
            return;
        }
    }
    sig = signal_for(r->vector, &si.code);
    if (handled(t, sig)) {
        signal_send_thread(t, sig, &si);
        return;
    }
    kprintf("pid %d (%s): %s (%s) at rip 0x%lx", t->proc->pid, t->proc->name,
            x86_trap_name(r->vector), x86_trap_mnemonic(r->vector), r->rip);
    if (r->vector == X86_TRAP_PF)
        kprintf(", address 0x%lx (%s)", addr, r->error & X86_PF_WRITE ? "write" : "read");
    kprintf(": killed by signal %d\n", sig);
    proc_exit_group(WAIT_SIGNALED(sig));
}

static void user_return(struct x86_regs *r)
{
    struct thread *t = sched_current();

    if (!t->proc)
        return;
    if (t->killed || t->proc->exiting)
        proc_exit_thread();
    if (sched_need_resched())
        sched_yield();
    if (t->killed || t->proc->exiting)
        proc_exit_thread();
    signal_deliver(r);
}

void uentry_init(void)
{
    x86_trap_set_hooks(user_fault, user_return);
}
