/* kernel/arch/x86_64/pic.c: remap the 8259s to X86_VECTOR_PIC_BASE (so a
 * spurious IRQ 7/15 cannot pose as an exception) and mask every line.
 * Initialisation words from the Intel 8259A data sheet. */
#include "arch/x86_64/io.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/trap.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW3_MASTER_SLAVE_ON_IRQ2 0x04
#define ICW3_SLAVE_ID 0x02
#define ICW4_8086 0x01
#define MASK_ALL 0xff

void x86_pic_disable(void)
{
    x86_outb(PIC1_CMD, ICW1_INIT_ICW4);
    x86_outb(PIC2_CMD, ICW1_INIT_ICW4);
    x86_outb(PIC1_DATA, X86_VECTOR_PIC_BASE);
    x86_outb(PIC2_DATA, X86_VECTOR_PIC_BASE + 8);
    x86_outb(PIC1_DATA, ICW3_MASTER_SLAVE_ON_IRQ2);
    x86_outb(PIC2_DATA, ICW3_SLAVE_ID);
    x86_outb(PIC1_DATA, ICW4_8086);
    x86_outb(PIC2_DATA, ICW4_8086);
    x86_outb(PIC1_DATA, MASK_ALL);
    x86_outb(PIC2_DATA, MASK_ALL);
}
