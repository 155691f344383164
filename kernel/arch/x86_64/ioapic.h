/* kernel/arch/x86_64/ioapic.h: the IO-APIC, which routes device interrupt
 * lines (GSIs) to vectors on the boot CPU. */
#ifndef ANVIL_ARCH_X86_64_IOAPIC_H
#define ANVIL_ARCH_X86_64_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Map the IO-APIC at phys serving GSIs from gsi_base; mask every line. */
void x86_ioapic_init(uint64_t phys, uint32_t gsi_base);
/* Route gsi to vector on the CPU with LAPIC id dest, unmasked. */
int x86_ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest, bool active_low, bool level);
/* Mask or unmask gsi, keeping its route: 0 or -EINVAL. */
int x86_ioapic_mask(uint32_t gsi, bool masked);

#endif
