/* kernel/arch/x86_64/refclock.h: a counter of known, fixed rate that the
 * TSC and LAPIC timer are measured against (PM timer, HPET, or the TSC
 * itself once CPUID has stated its rate). */
#ifndef ANVIL_ARCH_X86_64_REFCLOCK_H
#define ANVIL_ARCH_X86_64_REFCLOCK_H

#include <stdint.h>

struct x86_refclock {
    const char *name;
    uint64_t (*read)(void);
    uint64_t mask;        /* the counter's width: it wraps past this */
    uint64_t hz;
};

#endif
