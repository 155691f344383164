/* kernel/arch/x86_64/hpet.h: the High Precision Event Timer's main counter,
 * memory-mapped, used only as a reference clock. */
#ifndef ANVIL_ARCH_X86_64_HPET_H
#define ANVIL_ARCH_X86_64_HPET_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/refclock.h"

/* Map the HPET at phys, start its counter and describe it; false if there
 * is none or its capabilities make no sense. */
bool x86_hpet_probe(uint64_t phys, struct x86_refclock *out);

#endif
