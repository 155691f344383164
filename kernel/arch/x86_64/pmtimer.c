/* kernel/arch/x86_64/pmtimer.c: the ACPI PM timer (ACPI 6.5 §4.8.3.3): it
 * counts at 3.579545 MHz in 24 bits, or 32 with TMR_VAL_EXT, from reset on,
 * and needs no setup. */
#include "arch/x86_64/io.h"
#include "arch/x86_64/pmtimer.h"

#define PM_TIMER_HZ 3579545u
#define MASK_24 0xffffffull
#define MASK_32 0xffffffffull

/* Written at boot, read-only after. */
static uint16_t pm_port;

static uint64_t pm_read(void)
{
    return x86_inl(pm_port);
}

bool x86_pmtimer_probe(const struct acpi_pm_timer *t, struct x86_refclock *out)
{
    if (t->port == 0)
        return false;
    pm_port = t->port;
    *out = (struct x86_refclock){
        .name = "pmtimer", .read = pm_read, .mask = t->wide ? MASK_32 : MASK_24,
        .hz = PM_TIMER_HZ,
    };
    return true;
}
