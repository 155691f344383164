/* kernel/arch/x86_64/calibrate.h: the TSC and LAPIC timer rates, from
 * CPUID where the CPU states them, else measured against the best reference
 * the machine has: PM timer, HPET, and the PIT only as a last resort. */
#ifndef ANVIL_ARCH_X86_64_CALIBRATE_H
#define ANVIL_ARCH_X86_64_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

struct x86_timing {
    const char *source;   /* "cpuid", "pmtimer", "hpet", "pit", or "guess" */
    uint64_t tsc_hz;
    uint64_t lapic_hz;    /* LAPIC timer counts per second, divided by 16 */
    const char *lapic_from;   /* "cpuid" or the reference it was measured against */
};

/* Find the rates (the LAPIC must be on). force names the one source to try
 * first ("cpuid", "pmtimer", "hpet", "pit"; NULL or "": the order above);
 * the ACPI tables come from a copy of the RSDP (rsdp_len 0: none). */
void x86_calibrate(const uint8_t *rsdp, size_t rsdp_len, const char *force);

/* The rates found (0 before x86_calibrate); written at boot, read-only after. */
const struct x86_timing *x86_timing_get(void);
uint64_t x86_tsc_hz(void);

#endif
