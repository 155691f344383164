/* kernel/arch/x86_64/syscall_entry.S: the SYSCALL entry (Intel SDM vol. 2B,
 * SYSCALL/SYSRET). The CPU leaves the user rip in rcx and rflags in r11 and
 * masks IF through FMASK, so nothing interrupts us until we are back. We
 * build the same struct x86_regs frame as an interrupt from user mode
 * (vector X86_VECTOR_SYSCALL) on the thread's kernel stack, call
 * x86_syscall_dispatch, and leave with SYSRET, or with IRETQ when the frame
 * asks for every register back (rt_sigreturn, a new program). */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/regs.h"
#include "arch/x86_64/frame.inc"

#define VECTOR_SYSCALL 0x100

    .section .text
    .global x86_syscall_entry
    .type x86_syscall_entry, @function
x86_syscall_entry:
    movq %rsp, syscall_user_rsp(%rip)
    movq x86_kernel_rsp0(%rip), %rsp
    pushq $X86_SEL_UDATA                /* ss */
    pushq syscall_user_rsp(%rip)        /* rsp */
    pushq %r11                          /* rflags */
    pushq $X86_SEL_UCODE                /* cs */
    pushq %rcx                          /* rip */
    pushq $0                            /* error */
    pushq $VECTOR_SYSCALL               /* vector */
    FRAME_PUSH_GPRS
    movq %rsp, %rdi
    cld
    call x86_syscall_dispatch
    cmpq $VECTOR_SYSCALL, X86_REGS_VECTOR(%rsp)
    jne x86_trap_return
    FRAME_POP_GPRS
    /* rsp now points at the vector: rip at +16, rflags at +32, rsp at +40. */
    movq 16(%rsp), %rcx
    movq 32(%rsp), %r11
    movq 40(%rsp), %rsp
    sysretq
    .size x86_syscall_entry, . - x86_syscall_entry

    .section .bss
    .balign 8
/* Scratch for the user rsp between entry and the first push (single CPU,
 * interrupts masked). */
syscall_user_rsp:
    .skip 8

    .section .note.GNU-stack, "", @progbits
