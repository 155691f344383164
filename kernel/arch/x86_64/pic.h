/* kernel/arch/x86_64/pic.h: the legacy 8259 pair, remapped out of the
 * exception range and masked (the IO-APIC delivers device interrupts). */
#ifndef ANVIL_ARCH_X86_64_PIC_H
#define ANVIL_ARCH_X86_64_PIC_H

void x86_pic_disable(void);

#endif
