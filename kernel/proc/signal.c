/* kernel/proc/signal.c: signals. A handler runs on an rt_sigframe laid
 * out as Linux's (arch/x86/include/uapi/asm/sigcontext.h, ucontext.h), so
 * musl's sa_restorer and rt_sigreturn work unchanged. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/exit.h"
#include "proc/jobctl.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define RED_ZONE 128
#define RFLAGS_USER_MASK 0x40dd5ul   /* CF PF AF ZF SF TF DF OF AC */
#define RFLAGS_FIXED 0x202ul         /* IF and the always-one bit 1 */
#define MXCSR_OFFSET 24
#define MXCSR_SAFE_MASK 0xffbfu
#define SI_USER 0
#define SEGV_MAPERR 1
#define UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
#define SYSCALL_INSN_SIZE 2   /* 0f 05 */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define NR_NANOSLEEP 35
#define NR_CLOCK_NANOSLEEP 230
#define TIMER_ABSTIME 1

struct k_sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2, fpstate;
    uint64_t reserved[8];
};
_Static_assert(sizeof(struct k_sigcontext) == 256, "ABI: sigcontext");

struct k_ucontext {
    uint64_t flags, link;
    uint64_t ss_sp;
    int32_t ss_flags, ss_pad;
    uint64_t ss_size;
    struct k_sigcontext mc;
    uint64_t sigmask;
};
_Static_assert(sizeof(struct k_ucontext) == 304, "ABI: ucontext");

struct k_siginfo {
    int32_t signo, err, code, pad;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
        } kill;
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status, pad;
            int64_t utime, stime;
        } chld;
        uint64_t addr;
        uint8_t raw[112];
    } u;
};
_Static_assert(sizeof(struct k_siginfo) == 128, "ABI: siginfo");

struct k_sigframe {
    uint64_t pretcode;
    struct k_ucontext uc;
    struct k_siginfo info;
    uint8_t fpstate[512];   /* frame + 440: 16-aligned as the frame is 8 mod 16 */
};
_Static_assert(offsetof(struct k_sigframe, fpstate) == 440, "sigframe: fpstate 16-aligned");

bool signal_default_ignored(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

bool signal_is_stop(int sig)
{
    return sig >= 1 && sig <= SIG_COUNT && (SIG_STOP_SET & SIG_BIT(sig));
}

bool signal_ignored_or_blocked(struct thread *t, int sig)
{
    return t->proc->actions[sig].handler == SIG_IGN_HANDLER || (t->sigmask & SIG_BIT(sig));
}

static bool ignored(struct proc *p, int sig)
{
    uintptr_t h = p->actions[sig].handler;

    if (sig == SIGKILL)
        return false;
    return h == SIG_IGN_HANDLER || (h == SIG_DFL_HANDLER && signal_default_ignored(sig));
}

static uint64_t pending_for(struct thread *t)
{
    return (t->sigpending | t->proc->sigpending) & ~(t->sigmask & ~UNBLOCKABLE);
}

/* A thread of a stopped process also leaves interruptible sleeps, to park. */
void signal_recalc(struct thread *t)
{
    t->sig_wake = t->proc && (pending_for(t) != 0 || t->proc->stopped);
}

/* Sending SIGCONT discards pending stop signals and continues the process;
 * sending a stop signal discards a pending SIGCONT (POSIX kill()). */
static void stop_or_continue(struct proc *p, int sig)
{
    uint64_t drop;

    if (sig != SIGCONT && !signal_is_stop(sig))
        return;
    drop = sig == SIGCONT ? SIG_STOP_SET : SIG_BIT(SIGCONT);
    p->sigpending &= ~drop;
    for (struct thread *t = sched_threads(); t; t = t->all_next)
        if (t->proc == p)
            t->sigpending &= ~drop;
    if (sig == SIGCONT)
        jobctl_continue(p);
}

int signal_send_thread(struct thread *t, int sig, const struct ksiginfo *info)
{
    if (sig < 1 || sig > SIG_COUNT)
        return -EINVAL;
    if (t->state == THREAD_DEAD || t->proc->state != PROC_ALIVE)
        return 0;
    stop_or_continue(t->proc, sig);
    if (ignored(t->proc, sig))
        return 0;
    t->sigpending |= SIG_BIT(sig);
    t->siginfo[sig] = info ? *info : (struct ksiginfo){0};
    signal_recalc(t);
    if (t->sig_wake)
        sched_interrupt(t);
    return 0;
}

int signal_send_proc(struct proc *p, int sig, const struct ksiginfo *info)
{
    if (sig < 1 || sig > SIG_COUNT)
        return -EINVAL;
    if (p->state != PROC_ALIVE)
        return 0;
    stop_or_continue(p, sig);
    if (ignored(p, sig))
        return 0;
    p->sigpending |= SIG_BIT(sig);
    p->siginfo[sig] = info ? *info : (struct ksiginfo){0};
    if (sig == SIGKILL && !p->exiting) {
        p->exiting = true;
        p->exit_status = WAIT_SIGNALED(SIGKILL);
    }
    for (struct thread *t = sched_threads(); t; t = t->all_next) {
        if (t->proc != p || t->state == THREAD_DEAD)
            continue;
        if (sig == SIGKILL)
            t->killed = true;
        signal_recalc(t);
        if (t->sig_wake)
            sched_interrupt(t);
    }
    return 0;
}

void signal_reset_on_exec(struct proc *p)
{
    for (int s = 1; s <= SIG_COUNT; s++)
        if (p->actions[s].handler != SIG_IGN_HANDLER)
            p->actions[s] = (struct ksigaction){0};
}

/* Take the lowest pending deliverable signal off the queues. */
static int dequeue(struct thread *t, struct ksiginfo *info)
{
    uint64_t set = pending_for(t);
    int sig;

    if (!set)
        return 0;
    sig = __builtin_ctzll(set) + 1;
    if (t->sigpending & SIG_BIT(sig)) {
        t->sigpending &= ~SIG_BIT(sig);
        *info = t->siginfo[sig];
    } else {
        t->proc->sigpending &= ~SIG_BIT(sig);
        *info = t->proc->siginfo[sig];
    }
    signal_recalc(t);
    return sig;
}

static void save_regs(struct k_sigcontext *mc, const struct x86_regs *r)
{
    *mc = (struct k_sigcontext){
        .r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12,
        .r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rdi = r->rdi, .rsi = r->rsi,
        .rbp = r->rbp, .rbx = r->rbx, .rdx = r->rdx, .rax = r->rax, .rcx = r->rcx,
        .rsp = r->rsp, .rip = r->rip, .eflags = r->rflags, .cs = X86_SEL_UCODE,
        .ss = X86_SEL_UDATA, .err = r->error,
        .trapno = r->vector < X86_TRAP_EXCEPTIONS ? r->vector : 0,
    };
}

bool signal_on_altstack(const struct thread *t, uintptr_t sp)
{
    return t->altstack_size && sp > t->altstack_sp && sp <= t->altstack_sp + t->altstack_size;
}

/* Where the frame goes: below the red zone, or atop the alternate stack. */
static uintptr_t frame_top(const struct thread *t, const struct x86_regs *r,
                           const struct ksigaction *act)
{
    if ((act->flags & SA_ONSTACK) && t->altstack_size && !signal_on_altstack(t, r->rsp))
        return t->altstack_sp + t->altstack_size;
    return r->rsp - RED_ZONE;
}

static int setup_frame(struct thread *t, struct x86_regs *r, int sig, const struct ksiginfo *si,
                       const struct ksigaction *act)
{
    struct k_sigframe f;
    uintptr_t addr = ((frame_top(t, r, act) - sizeof(f)) & ~(uintptr_t)15) - 8;

    memset(&f, 0, sizeof(f));
    f.uc.ss_sp = t->altstack_sp;
    f.uc.ss_size = t->altstack_size;
    f.uc.ss_flags = !t->altstack_size ? SS_DISABLE : signal_on_altstack(t, r->rsp) ? SS_ONSTACK : 0;
    f.pretcode = act->restorer;
    save_regs(&f.uc.mc, r);
    f.uc.mc.cr2 = si->addr;
    f.uc.mc.oldmask = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
    f.uc.mc.fpstate = addr + offsetof(struct k_sigframe, fpstate);
    f.uc.sigmask = f.uc.mc.oldmask;
    f.info.signo = sig;
    f.info.code = si->code;
    if (si->addr)
        f.info.u.addr = si->addr;
    else
        f.info.u.kill.pid = si->pid;
    if (sig == SIGCHLD)
        f.info.u.chld.status = si->status;
    x86_fxsave(t->fpu);
    memcpy(f.fpstate, t->fpu, sizeof(f.fpstate));
    if (copy_to_user(addr, &f, sizeof(f)) < 0)
        return -EFAULT;
    r->rip = act->handler;
    r->rsp = addr;
    r->rdi = (uint64_t)sig;
    r->rsi = addr + offsetof(struct k_sigframe, info);
    r->rdx = addr + offsetof(struct k_sigframe, uc);
    r->rax = 0;
    r->rflags &= ~(1ul << 10);   /* DF clear on entry, as the ABI wants */
    return 0;
}

/* Calls that SA_RESTART restarts after the handler (Linux's ERESTARTSYS
 * set, as far as Anvil has them): read, write, readv, writev, wait4, waitid,
 * fcntl (F_SETLKW), flock, and the blocking socket calls (connect, accept,
 * sendto, recvfrom, sendmsg, recvmsg, accept4). */
static bool restartable(uint64_t nr)
{
    return nr == 0 || nr == 1 || nr == 19 || nr == 20 || nr == 61 || nr == 247 || nr == 72 ||
           nr == 73 || (nr >= 42 && nr <= 47) || nr == 288;
}

static void maybe_restart(struct thread *t, struct x86_regs *r, const struct ksigaction *act)
{
    if (r->vector != X86_VECTOR_SYSCALL || (int64_t)r->rax != -EINTR ||
        !(act->flags & SA_RESTART) || !restartable(t->syscall_nr))
        return;
    r->rax = t->syscall_nr;
    r->rip -= SYSCALL_INSN_SIZE;
}

/* Calls a stop and continue without a handler restart, as Linux's
 * -ERESTARTSYS/-ERESTARTNOHAND do: the SA_RESTART set, ioctl (the terminal's
 * SIGTTOU), pause, poll, select, ppoll, pselect6. */
static bool restartable_after_stop(uint64_t nr)
{
    return restartable(nr) || nr == 16 || nr == 34 || nr == 7 || nr == 23 || nr == 271 ||
           nr == 270;
}

/* A sleep goes on for the time it had left (Linux's restart block): nanosleep
 * and a relative clock_nanosleep wrote it to *rem on EINTR, so that becomes the
 * request; an absolute one repeats as it was. Without rem: EINTR. */
static bool restart_sleep(struct x86_regs *r, uint64_t nr)
{
    if (nr == NR_NANOSLEEP && r->rsi) {
        r->rdi = r->rsi;
        return true;
    }
    if (nr == NR_CLOCK_NANOSLEEP && (r->rsi & TIMER_ABSTIME))
        return true;
    if (nr == NR_CLOCK_NANOSLEEP && r->r10) {
        r->rdx = r->r10;
        return true;
    }
    return false;
}

static void restart_after_stop(struct thread *t, struct x86_regs *r)
{
    if (r->vector != X86_VECTOR_SYSCALL || (int64_t)r->rax != -EINTR)
        return;
    if (!restartable_after_stop(t->syscall_nr) && !restart_sleep(r, t->syscall_nr))
        return;
    r->rax = t->syscall_nr;
    r->rip -= SYSCALL_INSN_SIZE;
}

/* While the process is stopped its threads wait here, on their way to user
 * mode; SIGCONT or SIGKILL ends the wait. True if t waited. */
static bool park(struct thread *t)
{
    struct proc *p = t->proc;
    bool parked = false;

    while (p->stopped && !t->killed && !p->exiting) {
        parked = true;
        sched_sleep(&p->stopped, 0, false);
    }
    if (t->killed || p->exiting)
        proc_exit_thread();
    return parked;
}

/* A stop signal's default action. PID 1 is never stopped, and a TSTP, TTIN
 * or TTOU sent to an orphaned group is dropped (POSIX). */
static bool stop_process(struct thread *t, int sig)
{
    struct proc *p = t->proc;

    if (p->pid == 1 || (sig != SIGSTOP && jobctl_group_orphaned(p->pgid)))
        return false;
    jobctl_stop(p, sig);
    return true;
}

/* The next pending signal that runs a handler, acting on the others; 0 when
 * none is left. */
static int next_handled(struct thread *t, struct ksiginfo *si, bool *stopped)
{
    for (;;) {
        int sig = dequeue(t, si);
        struct ksigaction *act;

        if (!sig)
            return 0;
        act = &t->proc->actions[sig];
        if (act->handler == SIG_IGN_HANDLER && sig != SIGKILL)
            continue;
        if (sig != SIGKILL && act->handler != SIG_DFL_HANDLER)
            return sig;
        if (signal_default_ignored(sig))
            continue;
        if (!signal_is_stop(sig))
            proc_exit_group(WAIT_SIGNALED(sig));
        if (stop_process(t, sig))
            park(t);
        *stopped = true;   /* a dropped stop restarts the call too */
    }
}

void signal_deliver(struct x86_regs *r)
{
    struct thread *t = sched_current();
    struct ksiginfo si;
    bool stopped = park(t);
    int sig = next_handled(t, &si, &stopped);
    struct ksigaction *act;

    if (!sig) {
        if (stopped)
            restart_after_stop(t, r);
        if (t->restore_sigmask) {
            t->restore_sigmask = false;
            t->sigmask = t->saved_sigmask;
            signal_recalc(t);
        }
        return;
    }
    act = &t->proc->actions[sig];
    maybe_restart(t, r, act);
    if (setup_frame(t, r, sig, &si, act) < 0)
        proc_exit_group(WAIT_SIGNALED(SIGSEGV));
    if (t->restore_sigmask) {
        t->restore_sigmask = false;
        t->sigmask = t->saved_sigmask;
    }
    t->sigmask |= act->mask | (act->flags & SA_NODEFER ? 0 : SIG_BIT(sig));
    t->sigmask &= ~UNBLOCKABLE;
    if (act->flags & SA_RESETHAND)
        *act = (struct ksigaction){0};
    signal_recalc(t);
}

static void restore_regs(struct x86_regs *r, const struct k_sigcontext *mc)
{
    r->r8 = mc->r8, r->r9 = mc->r9, r->r10 = mc->r10, r->r11 = mc->r11;
    r->r12 = mc->r12, r->r13 = mc->r13, r->r14 = mc->r14, r->r15 = mc->r15;
    r->rdi = mc->rdi, r->rsi = mc->rsi, r->rbp = mc->rbp, r->rbx = mc->rbx;
    r->rdx = mc->rdx, r->rax = mc->rax, r->rcx = mc->rcx, r->rsp = mc->rsp;
    r->rip = mc->rip;
    r->rflags = (mc->eflags & RFLAGS_USER_MASK) | RFLAGS_FIXED;
    r->cs = X86_SEL_UCODE;
    r->ss = X86_SEL_UDATA;
    r->vector = X86_VECTOR_SYSCALL_IRET;   /* rcx and r11 must come back too */
}

long signal_sigreturn(struct x86_regs *r)
{
    struct thread *t = sched_current();
    struct k_ucontext uc;
    uint8_t fp[512] __attribute__((aligned(16)));
    uint32_t mxcsr;

    if (copy_from_user(&uc, r->rsp, sizeof(uc)) < 0 || uc.mc.rip >= VM_USER_END ||
        (uc.mc.fpstate && copy_from_user(fp, uc.mc.fpstate, sizeof(fp)) < 0))
        proc_exit_group(WAIT_SIGNALED(SIGSEGV));
    restore_regs(r, &uc.mc);
    if (uc.mc.fpstate) {
        memcpy(&mxcsr, fp + MXCSR_OFFSET, 4);
        mxcsr &= MXCSR_SAFE_MASK;   /* a reserved bit would fault fxrstor */
        memcpy(fp + MXCSR_OFFSET, &mxcsr, 4);
        memcpy(t->fpu, fp, sizeof(fp));
        x86_fxrstor(t->fpu);
    }
    t->sigmask = uc.sigmask & ~UNBLOCKABLE;
    signal_recalc(t);
    return (long)r->rax;
}
