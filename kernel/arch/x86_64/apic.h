/* kernel/arch/x86_64/apic.h: the local APIC: interrupt acknowledgement and
 * its timer (which counts at the crystal or bus clock divided by 16). */
#ifndef ANVIL_ARCH_X86_64_APIC_H
#define ANVIL_ARCH_X86_64_APIC_H

#include <stdint.h>

/* Enable the LAPIC at phys (through the direct map). */
void x86_lapic_init(uint64_t phys);
/* Tick periodically at hz on X86_VECTOR_TIMER, the timer counting
 * counts_per_sec (divided by 16). */
void x86_lapic_timer_start(unsigned hz, uint64_t counts_per_sec);
/* For calibration: start the timer counting down from its top, then stop it
 * and say how many counts (divided by 16) went by. */
void x86_lapic_count_start(void);
uint32_t x86_lapic_count_stop(void);
void x86_lapic_eoi(void);
uint32_t x86_lapic_id(void);

#endif
