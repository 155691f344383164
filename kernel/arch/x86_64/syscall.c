/* kernel/arch/x86_64/syscall.c: SYSCALL setup (Intel SDM vol. 3A §5.8.8):
 * STAR holds the kernel CS (SS = CS + 8) and the SYSRET base selector,
 * LSTAR the entry point, FMASK the rflags bits cleared on entry. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"

#define RFLAGS_TF (1ul << 8)
#define RFLAGS_IF (1ul << 9)
#define RFLAGS_DF (1ul << 10)
#define RFLAGS_NT (1ul << 14)
#define RFLAGS_AC (1ul << 18)

extern char x86_syscall_entry[];

/* Written at boot, read-only after. */
static x86_syscall_fn syscall_handler;

void x86_syscall_init(x86_syscall_fn handler)
{
    syscall_handler = handler;
    x86_wrmsr(X86_MSR_STAR, ((uint64_t)X86_SEL_SYSRET_BASE << 48) | ((uint64_t)X86_SEL_KCODE << 32));
    x86_wrmsr(X86_MSR_LSTAR, (uint64_t)x86_syscall_entry);
    x86_wrmsr(X86_MSR_FMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC);
    x86_wrmsr(X86_MSR_EFER, x86_rdmsr(X86_MSR_EFER) | X86_EFER_SCE);
}

void x86_syscall_dispatch(struct x86_regs *r)
{
    syscall_handler(r);
    x86_trap_user_return(r);
    /* SYSRET cannot return to a non-canonical rip without faulting in ring 0. */
    if (r->rip >= 0x00007ffffffff000ul && r->vector == X86_VECTOR_SYSCALL)
        r->vector = X86_VECTOR_SYSCALL_IRET;
}
