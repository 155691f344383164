/* kernel/arch/x86_64/regs.h: a saved register set. Its layout is the stack
 * frame the exception stubs build (GPRs pushed by the stub, then vector and
 * error code, then what the CPU pushed), so the offsets are shared with asm. */
#ifndef ANVIL_ARCH_X86_64_REGS_H
#define ANVIL_ARCH_X86_64_REGS_H

#define X86_REGS_R15 0
#define X86_REGS_R14 8
#define X86_REGS_R13 16
#define X86_REGS_R12 24
#define X86_REGS_R11 32
#define X86_REGS_R10 40
#define X86_REGS_R9 48
#define X86_REGS_R8 56
#define X86_REGS_RDI 64
#define X86_REGS_RSI 72
#define X86_REGS_RBP 80
#define X86_REGS_RBX 88
#define X86_REGS_RDX 96
#define X86_REGS_RCX 104
#define X86_REGS_RAX 112
#define X86_REGS_VECTOR 120
#define X86_REGS_ERROR 128
#define X86_REGS_RIP 136
#define X86_REGS_CS 144
#define X86_REGS_RFLAGS 152
#define X86_REGS_RSP 160
#define X86_REGS_SS 168
#define X86_REGS_SIZE 176

/* vector value of a set captured by software rather than by an exception */
#define X86_REGS_NO_VECTOR 0xffffffffffffffff

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct x86_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
    uint64_t vector, error;
    /* pushed by the CPU on an exception, Intel SDM vol. 3A §6.14.2 */
    uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct x86_regs) == X86_REGS_SIZE, "regs: frame layout");
_Static_assert(offsetof(struct x86_regs, rax) == X86_REGS_RAX, "regs: frame layout");
_Static_assert(offsetof(struct x86_regs, vector) == X86_REGS_VECTOR, "regs: frame layout");
_Static_assert(offsetof(struct x86_regs, rip) == X86_REGS_RIP, "regs: frame layout");
_Static_assert(offsetof(struct x86_regs, ss) == X86_REGS_SS, "regs: frame layout");

/* Fill *r with the caller's registers (rip and rsp as after the call returns). */
void x86_regs_capture(struct x86_regs *r);

/* Print every register, cr2 (page faults), cr3 and a frame-pointer backtrace. */
void x86_regs_dump(const struct x86_regs *r);
#endif

#endif
