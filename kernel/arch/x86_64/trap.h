/* kernel/arch/x86_64/trap.h: CPU exception vectors and the C side of the
 * exception stubs. */
#ifndef ANVIL_ARCH_X86_64_TRAP_H
#define ANVIL_ARCH_X86_64_TRAP_H

#include <stdint.h>

#include "arch/x86_64/regs.h"

/* Intel SDM vol. 3A §6.3.1, table 6-1: vectors 0..31 are exceptions. */
#define X86_TRAP_EXCEPTIONS 32
#define X86_TRAP_DF 8
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14

/* "#PF" and "page fault" for vector 14; "?" / "unknown" past 31. */
const char *x86_trap_mnemonic(uint64_t vector);
const char *x86_trap_name(uint64_t vector);

/* Called by the stubs in exception_stubs.S with the saved frame. */
void x86_trap_dispatch(struct x86_regs *r);

#endif
