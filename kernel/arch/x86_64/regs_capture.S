/* kernel/arch/x86_64/regs_capture.S: x86_regs_capture(struct x86_regs *r),
 * a snapshot of the caller's registers for panics outside an exception. */
#include "arch/x86_64/regs.h"

    .section .text
    .global x86_regs_capture
    .type x86_regs_capture, @function
x86_regs_capture:
    movq %r15, X86_REGS_R15(%rdi)
    movq %r14, X86_REGS_R14(%rdi)
    movq %r13, X86_REGS_R13(%rdi)
    movq %r12, X86_REGS_R12(%rdi)
    movq %r11, X86_REGS_R11(%rdi)
    movq %r10, X86_REGS_R10(%rdi)
    movq %r9, X86_REGS_R9(%rdi)
    movq %r8, X86_REGS_R8(%rdi)
    movq %rdi, X86_REGS_RDI(%rdi)
    movq %rsi, X86_REGS_RSI(%rdi)
    movq %rbp, X86_REGS_RBP(%rdi)
    movq %rbx, X86_REGS_RBX(%rdi)
    movq %rdx, X86_REGS_RDX(%rdi)
    movq %rcx, X86_REGS_RCX(%rdi)
    movq %rax, X86_REGS_RAX(%rdi)
    movq $-1, X86_REGS_VECTOR(%rdi)      /* X86_REGS_NO_VECTOR */
    movq $0, X86_REGS_ERROR(%rdi)
    movq (%rsp), %rax                   /* our return address */
    movq %rax, X86_REGS_RIP(%rdi)
    movq %cs, %rax
    movq %rax, X86_REGS_CS(%rdi)
    pushfq
    popq %rax
    movq %rax, X86_REGS_RFLAGS(%rdi)
    leaq 8(%rsp), %rax                  /* the caller's rsp once we return */
    movq %rax, X86_REGS_RSP(%rdi)
    movq %ss, %rax
    movq %rax, X86_REGS_SS(%rdi)
    movq X86_REGS_RAX(%rdi), %rax
    ret
    .size x86_regs_capture, . - x86_regs_capture

    .section .note.GNU-stack, "", @progbits
