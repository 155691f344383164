/* kernel/arch/x86_64/exception_stubs.S: one entry stub per vector (0..255:
 * exceptions and interrupts). Each makes the frame uniform (a 0 error code
 * where the CPU pushes none), saves every register as a struct x86_regs and
 * calls x86_trap_dispatch. x86_trap_return is also where a new thread
 * first enters user mode. */
#include "arch/x86_64/regs.h"
#include "arch/x86_64/frame.inc"

/* Vectors for which the CPU pushes an error code, Intel SDM vol. 3A §6.15. */
#define HAS_ERROR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
                      (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || \
                      (v) == 29 || (v) == 30)

    .altmacro
    .section .text

    .macro STUB_ADDR vec
    .quad x86_exception_stub_\vec
    .endm

    .macro EXCEPTION_STUB vec
    .balign 16
x86_exception_stub_\vec:
    .ifeq HAS_ERROR(\vec)
    pushq $0                            /* no error code from the CPU */
    .endif
    pushq $\vec
    jmp x86_exception_common
    .endm

    .set vec, 0
    .rept 256
    EXCEPTION_STUB %vec
    .set vec, vec + 1
    .endr

    .balign 16
x86_exception_common:
    /* Push order is the reverse of struct x86_regs. The CPU aligned rsp to
     * 16 before its 5 pushes; with error, vector and 15 registers the frame
     * is 176 bytes, so rsp is 16-aligned again for the call. */
    FRAME_PUSH_GPRS
    movq %rsp, %rdi
    cld
    call x86_trap_dispatch
    .global x86_trap_return
x86_trap_return:
    FRAME_POP_GPRS
    addq $16, %rsp                      /* vector and error code */
    iretq

    /* The stubs' addresses, for x86_idt_init. */
    .section .rodata
    .balign 8
    .global x86_exception_stubs
x86_exception_stubs:
    .set vec, 0
    .rept 256
    STUB_ADDR %vec
    .set vec, vec + 1
    .endr

    .section .note.GNU-stack, "", @progbits
