/* kernel/arch/x86_64/pmtimer.h: the ACPI power-management timer, a free
 * running 3.579545 MHz counter read through an I/O port. */
#ifndef ANVIL_ARCH_X86_64_PMTIMER_H
#define ANVIL_ARCH_X86_64_PMTIMER_H

#include <stdbool.h>

#include "arch/x86_64/acpi_timers.h"
#include "arch/x86_64/refclock.h"

/* Describe the timer t as a reference; false if ACPI named none. */
bool x86_pmtimer_probe(const struct acpi_pm_timer *t, struct x86_refclock *out);

#endif
