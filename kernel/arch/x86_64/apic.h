/* kernel/arch/x86_64/apic.h: the local APIC: interrupt acknowledgement and
 * its timer, calibrated against the PIT (the TSC is calibrated alongside
 * for the clock). */
#ifndef ANVIL_ARCH_X86_64_APIC_H
#define ANVIL_ARCH_X86_64_APIC_H

#include <stdint.h>

/* Enable the LAPIC at phys (through the direct map). */
void x86_lapic_init(uint64_t phys);
/* Measure the LAPIC timer and TSC rates over a PIT interval, then tick
 * periodically at hz on X86_VECTOR_TIMER. */
void x86_lapic_timer_start(unsigned hz);
void x86_lapic_eoi(void);
uint32_t x86_lapic_id(void);
/* Measured rates (0 before x86_lapic_timer_start). */
uint64_t x86_tsc_hz(void);
uint64_t x86_lapic_timer_hz(void);

#endif
