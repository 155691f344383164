/* kernel/arch/x86_64/syscall.h: enabling SYSCALL and handing calls up. */
#ifndef ANVIL_ARCH_X86_64_SYSCALL_H
#define ANVIL_ARCH_X86_64_SYSCALL_H

#include "arch/x86_64/regs.h"

/* Handles one call: number in r->rax, arguments in rdi rsi rdx r10 r8 r9,
 * result into r->rax. Set by the syscall layer (an upward call). */
typedef void (*x86_syscall_fn)(struct x86_regs *r);

/* Program STAR/LSTAR/FMASK and EFER.SCE. */
void x86_syscall_init(x86_syscall_fn handler);

/* Called by syscall_entry.S. */
void x86_syscall_dispatch(struct x86_regs *r);

#endif
