/* kernel/arch/x86_64/idt.h: the interrupt descriptor table. */
#ifndef ANVIL_ARCH_X86_64_IDT_H
#define ANVIL_ARCH_X86_64_IDT_H

/* Install the 256 vector stubs and load the IDT. */
void x86_idt_init(void);

#endif
