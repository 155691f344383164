/* kernel/arch/x86_64/exception_stubs.S: one entry stub per exception vector
 * (0..31). Each makes the frame uniform (a 0 error code where the CPU pushes
 * none), saves every register as a struct x86_regs and calls
 * x86_trap_dispatch. */
#include "arch/x86_64/regs.h"

/* Vectors for which the CPU pushes an error code, Intel SDM vol. 3A §6.15. */
#define HAS_ERROR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
                      (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || \
                      (v) == 29 || (v) == 30)

    .section .text

    .macro EXCEPTION_STUB vec
    .balign 16
x86_exception_stub_\vec:
    .ifeq HAS_ERROR(\vec)
    pushq $0                            /* no error code from the CPU */
    .endif
    pushq $\vec
    jmp x86_exception_common
    .endm

    .irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
            16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    EXCEPTION_STUB \v
    .endr

    .balign 16
x86_exception_common:
    /* Push order is the reverse of struct x86_regs. The CPU aligned rsp to
     * 16 before its 5 pushes; with error, vector and 15 registers the frame
     * is 176 bytes, so rsp is 16-aligned again for the call. */
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rbx
    pushq %rbp
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    cld
    call x86_trap_dispatch
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rbp
    popq %rbx
    popq %rdx
    popq %rcx
    popq %rax
    addq $16, %rsp                      /* vector and error code */
    iretq

    /* The stubs' addresses, for x86_idt_init. */
    .section .rodata
    .balign 8
    .global x86_exception_stubs
x86_exception_stubs:
    .irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
            16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    .quad x86_exception_stub_\v
    .endr

    .section .note.GNU-stack, "", @progbits
