/* kernel/arch/x86_64/gdt.h: segment selectors of the kernel's GDT. The
 * selectors are also used by the boot code and syscall entry (GNU as). */
#ifndef ANVIL_ARCH_X86_64_GDT_H
#define ANVIL_ARCH_X86_64_GDT_H

/* Selector = index * 8 | RPL; Intel SDM vol. 3A §3.4.2. The user data
 * segment sits just below user code, as SYSRET requires (STAR[63:48] + 8
 * for SS, + 16 for CS; Intel SDM vol. 2B, SYSRET). */
#define X86_SEL_KCODE 0x08
#define X86_SEL_KDATA 0x10
#define X86_SEL_UDATA 0x1b
#define X86_SEL_UCODE 0x23
#define X86_SEL_TSS 0x28
#define X86_SEL_SYSRET_BASE 0x13   /* STAR[63:48]: UDATA - 8, RPL 3 */

#ifndef __ASSEMBLER__
/* Load the 64-bit GDT, reload every segment register and the task register. */
void x86_gdt_init(void);
#endif

#endif
