/* kernel/arch/x86_64/idt.c: the interrupt descriptor table: all 256
 * vectors go to their stub; #DF, NMI and #MC run on their own IST stacks. */
#include <stdint.h>

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/tss.h"

#define IDT_ENTRIES 256
/* Gate type/attributes, Intel SDM vol. 3A §6.14.1 (figure 6-8). */
#define IDT_GATE_PRESENT 0x80
#define IDT_GATE_INTERRUPT 0x0e   /* clears IF on entry */
#define VECTOR_NMI 2
#define VECTOR_MC 18

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes in long mode");

struct idt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* From exception_stubs.S. */
extern const uint64_t x86_exception_stubs[IDT_ENTRIES];

/* Written at boot, read-only after. */
static struct idt_gate idt_table[IDT_ENTRIES];

static void idt_set_gate(unsigned vector, uint64_t handler, uint8_t ist)
{
    idt_table[vector] = (struct idt_gate){
        .offset_low = handler & 0xffff,
        .selector = X86_SEL_KCODE,
        .ist = ist,
        .type_attr = IDT_GATE_PRESENT | IDT_GATE_INTERRUPT,
        .offset_mid = (handler >> 16) & 0xffff,
        .offset_high = handler >> 32,
    };
}

void x86_idt_init(void)
{
    struct idt_pointer ptr = {
        .limit = sizeof(idt_table) - 1,
        .base = (uint64_t)idt_table,
    };

    for (unsigned v = 0; v < IDT_ENTRIES; v++)
        idt_set_gate(v, x86_exception_stubs[v], 0);
    idt_set_gate(X86_TRAP_DF, x86_exception_stubs[X86_TRAP_DF], X86_IST_DOUBLE_FAULT);
    idt_set_gate(VECTOR_NMI, x86_exception_stubs[VECTOR_NMI], X86_IST_NMI);
    idt_set_gate(VECTOR_MC, x86_exception_stubs[VECTOR_MC], X86_IST_MACHINE_CHECK);
    __asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}
