/* kernel/arch/x86_64/msi.h: message-signalled interrupts: vectors handed out
 * one at a time, and the address and data a device writes to raise one. */
#ifndef ANVIL_ARCH_X86_64_MSI_H
#define ANVIL_ARCH_X86_64_MSI_H

#include <stdint.h>

#include "arch/x86_64/trap.h"

/* A free MSI vector, now handled by fn (which sends the EOI): the vector, or
 * -EBUSY when all X86_VECTOR_MSI_COUNT are taken. */
int x86_msi_alloc(x86_irq_fn fn);
/* Give vector back (its device must no longer send it). */
void x86_msi_free(unsigned vector);
/* The message that raises vector on this CPU. */
void x86_msi_message(unsigned vector, uint64_t *address, uint32_t *data);

#endif
