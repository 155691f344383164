/* kernel/arch/x86_64/tsc_cpuid.h: the TSC and core crystal frequencies that
 * CPUID leaves 0x15 and 0x16 state, as plain arithmetic on their registers
 * (so the host can test it). */
#ifndef ANVIL_ARCH_X86_64_TSC_CPUID_H
#define ANVIL_ARCH_X86_64_TSC_CPUID_H

#include <stdbool.h>
#include <stdint.h>

/* No TSC runs faster: it bounds every wait while the TSC's rate is unknown. */
#define X86_TSC_MAX_HZ 20000000000ull
/* Nor slower: a rate below this comes from a bogus leaf or a broken reference. */
#define X86_TSC_MIN_HZ 100000000ull

/* What the CPU answered; leaves above max_leaf are ignored. */
struct tsc_cpuid_regs {
    uint32_t max_leaf;      /* CPUID.0:EAX */
    bool intel;             /* "GenuineIntel": other vendors define no 0x15 */
    uint32_t family, model; /* display family and model, from CPUID.1:EAX */
    uint32_t denominator;   /* CPUID.15H:EAX */
    uint32_t numerator;     /* CPUID.15H:EBX */
    uint32_t crystal_hz;    /* CPUID.15H:ECX, 0 when not enumerated */
    uint32_t base_mhz;      /* CPUID.16H:EAX, 0 when not enumerated */
};

struct tsc_cpuid_freq {
    uint64_t tsc_hz;
    uint64_t crystal_hz;    /* the LAPIC timer's input clock */
};

/* Fill out from regs; false when the leaves give no usable frequency. */
bool tsc_cpuid_freq(const struct tsc_cpuid_regs *regs, struct tsc_cpuid_freq *out);

#endif
