/* kernel/arch/x86_64/switch.h: kernel stack switching (switch.S). */
#ifndef ANVIL_ARCH_X86_64_SWITCH_H
#define ANVIL_ARCH_X86_64_SWITCH_H

#include <stdint.h>

/* Callee-saved registers pushed by x86_switch: rbp rbx r12 r13 r14 r15. */
#define X86_SWITCH_SAVED_REGS 6

void x86_switch(uint64_t *save_sp, uint64_t new_sp);
/* Where a new thread starts: it calls sched_thread_start(frame), then
 * returns to user mode with the frame at the top of its stack. */
void x86_thread_entry(void);

#endif
