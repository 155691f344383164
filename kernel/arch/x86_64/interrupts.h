/* kernel/arch/x86_64/interrupts.h: bringing up interrupt delivery: 8259s
 * masked if present, LAPIC on, IO-APIC from the MADT (PC defaults without one), the
 * LAPIC timer ticking. */
#ifndef ANVIL_ARCH_X86_64_INTERRUPTS_H
#define ANVIL_ARCH_X86_64_INTERRUPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Set up the controllers and start the timer at hz (interrupts stay off
 * until the scheduler idles); clock names the time source to try first
 * (the command line's clock=; NULL: the usual order, see calibrate.h). */
void x86_interrupts_init(const uint8_t *rsdp, size_t rsdp_len, unsigned hz, const char *clock);
/* Route ISA IRQ irq (0..15) to X86_VECTOR_IRQ_BASE + irq, honouring the
 * MADT's overrides. */
int x86_isa_irq_enable(unsigned irq);
/* Mask or unmask ISA IRQ irq (routed before by x86_isa_irq_enable). */
int x86_isa_irq_mask(unsigned irq, bool masked);
/* Acknowledge the interrupt being handled. */
void x86_interrupt_done(void);

#endif
