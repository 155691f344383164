/* kernel/arch/x86_64/trap.h: CPU exception vectors, interrupt handlers and
 * the C side of the entry stubs. */
#ifndef ANVIL_ARCH_X86_64_TRAP_H
#define ANVIL_ARCH_X86_64_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/regs.h"

/* Intel SDM vol. 3A §6.3.1, table 6-1: vectors 0..31 are exceptions. */
#define X86_TRAP_EXCEPTIONS 32
#define X86_TRAP_DE 0
#define X86_TRAP_NMI 2
#define X86_TRAP_UD 6
#define X86_TRAP_DF 8
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14
#define X86_TRAP_MF 16
#define X86_TRAP_XM 19
/* Device interrupt vectors (ours): the LAPIC timer, ISA IRQs through the
 * IO-APIC, MSIs handed out to drivers, the masked 8259s' spurious range, the
 * LAPIC spurious vector. */
#define X86_VECTOR_TIMER 0x20
#define X86_VECTOR_IRQ_BASE 0x30
#define X86_VECTOR_MSI_BASE 0x40
#define X86_VECTOR_MSI_COUNT 32
#define X86_VECTOR_PIC_BASE 0xe0
#define X86_VECTOR_SPURIOUS 0xff
/* The vector field of a frame built by the syscall entry. */
#define X86_VECTOR_SYSCALL 0x100
/* A syscall frame that must go back with iretq (every register restored). */
#define X86_VECTOR_SYSCALL_IRET 0x101

/* Page-fault error code bits, Intel SDM vol. 3A §4.7 (figure 4-12). */
#define X86_PF_PRESENT (1u << 0)
#define X86_PF_WRITE (1u << 1)
#define X86_PF_USER (1u << 2)
#define X86_PF_RSVD (1u << 3)
#define X86_PF_FETCH (1u << 4)

typedef void (*x86_irq_fn)(struct x86_regs *r);
/* An exception in user mode: the process layer resolves it (demand paging)
 * or ends the process. */
typedef void (*x86_user_fault_fn)(struct x86_regs *r);
/* Called before every return to user mode (signals, preemption). */
typedef void (*x86_user_return_fn)(struct x86_regs *r);

/* "#PF" and "page fault" for vector 14; "?" / "unknown" past 31. */
const char *x86_trap_mnemonic(uint64_t vector);
const char *x86_trap_name(uint64_t vector);

/* The handler of vector, or NULL. */
x86_irq_fn x86_irq_handler(unsigned vector);
/* Handle vector (32..255) with fn; the handler sends the EOI. */
void x86_irq_register(unsigned vector, x86_irq_fn fn);
/* The upward calls into proc/: set once at boot. */
void x86_trap_set_hooks(x86_user_fault_fn fault, x86_user_return_fn ret);

static inline bool x86_regs_from_user(const struct x86_regs *r)
{
    return (r->cs & 3) == 3;
}

/* Called by the stubs in exception_stubs.S with the saved frame. */
void x86_trap_dispatch(struct x86_regs *r);
/* Run the return-to-user hook (the syscall path calls it too). */
void x86_trap_user_return(struct x86_regs *r);

#endif
