/* kernel/arch/x86_64/gdt.h: segment selectors of the kernel's GDT. The
 * selectors are also used by the boot code (GNU as), hence the guard. */
#ifndef ANVIL_ARCH_X86_64_GDT_H
#define ANVIL_ARCH_X86_64_GDT_H

/* Selector = index * 8 | RPL; Intel SDM vol. 3A §3.4.2. */
#define X86_SEL_KCODE 0x08
#define X86_SEL_KDATA 0x10

#ifndef __ASSEMBLER__
/* Load the 64-bit GDT and reload every segment register. */
void x86_gdt_init(void);
#endif

#endif
