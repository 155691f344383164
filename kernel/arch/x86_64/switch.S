/* kernel/arch/x86_64/switch.S: switching kernel stacks between threads.
 * x86_switch(uint64_t *save_sp, uint64_t new_sp) saves the callee-saved
 * registers (System V ABI §3.2.1) on the old stack and pops them from the
 * new one. A new thread's stack is prepared to "return" into
 * x86_thread_entry, which calls sched_thread_start(frame) (the usual
 * return-to-user checks) and leaves for user mode through x86_trap_return. */

    .section .text
    .global x86_switch
    .type x86_switch, @function
x86_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size x86_switch, . - x86_switch

    .global x86_thread_entry
    .type x86_thread_entry, @function
x86_thread_entry:
    movq %rsp, %rdi                     /* the user frame */
    call sched_thread_start
    jmp x86_trap_return
    .size x86_thread_entry, . - x86_thread_entry

    .section .note.GNU-stack, "", @progbits
