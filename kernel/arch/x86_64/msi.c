/* kernel/arch/x86_64/msi.c: MSI vectors for drivers (single CPU: every
 * message goes to this CPU's LAPIC; the vector table is only touched with
 * interrupts off, in syscalls). The message format is Intel SDM vol. 3A
 * §11.11: address 0xFEE00000 with the destination APIC ID in bits 12..19
 * (physical mode, no redirection), data the vector, fixed delivery, edge. */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/msi.h"
#include "lib/errno.h"

#define MSI_ADDRESS_BASE 0xfee00000u
#define MSI_DEST_SHIFT 12
#define MSI_DEST_MASK 0xffu            /* an 8-bit xAPIC ID */

/* A freed vector keeps this handler: a device that still sends it (its
 * driver died) must get its EOI, or the LAPIC would hold back every
 * interrupt of its priority and below. */
static void stray(struct x86_regs *r)
{
    (void)r;
    x86_lapic_eoi();
}

int x86_msi_alloc(x86_irq_fn fn)
{
    for (unsigned v = X86_VECTOR_MSI_BASE; v < X86_VECTOR_MSI_BASE + X86_VECTOR_MSI_COUNT; v++) {
        x86_irq_fn cur = x86_irq_handler(v);
        if (!cur || cur == stray) {
            x86_irq_register(v, fn);
            return (int)v;
        }
    }
    return -EBUSY;
}

void x86_msi_free(unsigned vector)
{
    if (vector >= X86_VECTOR_MSI_BASE && vector < X86_VECTOR_MSI_BASE + X86_VECTOR_MSI_COUNT)
        x86_irq_register(vector, stray);
}

void x86_msi_message(unsigned vector, uint64_t *address, uint32_t *data)
{
    *address = MSI_ADDRESS_BASE | (x86_lapic_id() & MSI_DEST_MASK) << MSI_DEST_SHIFT;
    *data = vector;   /* fixed delivery mode (0), edge trigger (bit 15 clear) */
}
