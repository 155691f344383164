/* kernel/arch/x86_64/interrupts.c: interrupt controller setup in the order
 * the hardware wants it: 8259s masked first (when the MADT says there are
 * any), then the LAPIC, the IO-APIC with every line masked, then the timer. */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/calibrate.h"
#include "arch/x86_64/interrupts.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/trap.h"
#include "lib/errno.h"
#include "lib/kprintf.h"

/* Written at boot, read-only after. */
static struct acpi_madt_info madt;

void x86_interrupts_init(const uint8_t *rsdp, size_t rsdp_len, unsigned hz, const char *clock)
{
    const struct x86_timing *t;

    acpi_read_madt(rsdp, rsdp_len, &madt);
    if (madt.pcat_compat)
        x86_pic_disable();
    x86_lapic_init(madt.lapic_phys);
    x86_ioapic_init(madt.ioapic_phys, madt.ioapic_gsi_base);
    kprintf("apic: %s, 8259s %s, lapic at 0x%lx, ioapic at 0x%lx, %u cpu%s\n",
            madt.found ? "from the madt" : "pc defaults (no madt)",
            madt.pcat_compat ? "masked" : "absent", madt.lapic_phys, madt.ioapic_phys, madt.cpus,
            madt.cpus == 1 ? "" : "s");
    x86_calibrate(rsdp, rsdp_len, clock);
    t = x86_timing_get();
    x86_lapic_timer_start(hz, t->lapic_hz);
    kprintf("timer: source %s, tsc %lu kHz, lapic %lu kHz (%s), tick %u Hz\n", t->source,
            t->tsc_hz / 1000, t->lapic_hz / 1000, t->lapic_from, hz);
}

int x86_isa_irq_enable(unsigned irq)
{
    const struct acpi_irq_route *r;

    if (irq >= ACPI_ISA_IRQS)
        return -EINVAL;
    r = &madt.isa[irq];
    return x86_ioapic_route(r->gsi, (uint8_t)(X86_VECTOR_IRQ_BASE + irq), x86_lapic_id(),
                            r->active_low, r->level);
}

int x86_isa_irq_mask(unsigned irq, bool masked)
{
    if (irq >= ACPI_ISA_IRQS)
        return -EINVAL;
    return x86_ioapic_mask(madt.isa[irq].gsi, masked);
}

void x86_interrupt_done(void)
{
    x86_lapic_eoi();
}
