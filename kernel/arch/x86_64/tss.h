/* kernel/arch/x86_64/tss.h: the task state segment: the kernel stack used
 * when an interrupt arrives in user mode (rsp0) and the IST stacks for
 * exceptions that must not run on a possibly broken stack. */
#ifndef ANVIL_ARCH_X86_64_TSS_H
#define ANVIL_ARCH_X86_64_TSS_H

#include <stdint.h>

/* IST slots (1-based, as in the IDT gate's ist field). */
#define X86_IST_DOUBLE_FAULT 1
#define X86_IST_NMI 2
#define X86_IST_MACHINE_CHECK 3

/* Fill the TSS; returns its address and size for the GDT descriptor. */
void x86_tss_init(uint64_t *base, uint32_t *limit);

/* The stack the CPU switches to on an interrupt from user mode; the syscall
 * entry uses the same one. */
void x86_tss_set_rsp0(uint64_t rsp0);

/* The I/O permission bitmap: one bit per port, set = denied (SDM vol. 3A
 * §19.5.2). */
#define X86_IOMAP_PORTS 65536
#define X86_IOMAP_BYTES (X86_IOMAP_PORTS / 8)

/* Load map (X86_IOMAP_BYTES, or NULL for no ports) for user mode to use; a
 * no-op when it is loaded already. Call x86_tss_iomap_forget first when the
 * map's contents change or it is freed. */
void x86_tss_set_iomap(const uint8_t *map);
/* If map is the loaded one, deny all ports again. */
void x86_tss_iomap_forget(const uint8_t *map);

/* Read by syscall_entry.S: the current thread's kernel stack top. */
extern uint64_t x86_kernel_rsp0;

#endif
