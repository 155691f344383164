/* kernel/arch/x86_64/trap.c: what happens on a CPU exception or interrupt.
 * Exceptions in user mode go to the process layer; in the kernel they are
 * bugs: panic with the vector and the registers. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"
#include "lib/panic.h"

#define VECTORS 256

struct trap_desc {
    const char *mnemonic;
    const char *name;
};

/* Intel SDM vol. 3A §6.15 and AMD APM vol. 2 §8.2. */
static const struct trap_desc trap_table[X86_TRAP_EXCEPTIONS] = {
    {"#DE", "divide error"},           {"#DB", "debug"},
    {"NMI", "non-maskable interrupt"}, {"#BP", "breakpoint"},
    {"#OF", "overflow"},               {"#BR", "bound range exceeded"},
    {"#UD", "invalid opcode"},         {"#NM", "device not available"},
    {"#DF", "double fault"},           {"#MP", "coprocessor segment overrun"},
    {"#TS", "invalid TSS"},            {"#NP", "segment not present"},
    {"#SS", "stack-segment fault"},    {"#GP", "general protection"},
    {"#PF", "page fault"},             {"#15", "reserved"},
    {"#MF", "x87 floating-point error"}, {"#AC", "alignment check"},
    {"#MC", "machine check"},          {"#XM", "SIMD floating-point"},
    {"#VE", "virtualization exception"}, {"#CP", "control protection"},
    {"#22", "reserved"},               {"#23", "reserved"},
    {"#24", "reserved"},               {"#25", "reserved"},
    {"#26", "reserved"},               {"#27", "reserved"},
    {"#HV", "hypervisor injection"},   {"#VC", "VMM communication"},
    {"#SX", "security exception"},     {"#31", "reserved"},
};

/* Set at boot, and by irq: opens (single CPU, in the kernel interrupts are off). */
static x86_irq_fn irq_handlers[VECTORS];
static x86_user_fault_fn user_fault_hook;
static x86_user_return_fn user_return_hook;

const char *x86_trap_mnemonic(uint64_t vector)
{
    return vector < X86_TRAP_EXCEPTIONS ? trap_table[vector].mnemonic : "?";
}

const char *x86_trap_name(uint64_t vector)
{
    return vector < X86_TRAP_EXCEPTIONS ? trap_table[vector].name : "unknown";
}

x86_irq_fn x86_irq_handler(unsigned vector)
{
    return vector >= X86_TRAP_EXCEPTIONS && vector < VECTORS ? irq_handlers[vector] : NULL;
}

void x86_irq_register(unsigned vector, x86_irq_fn fn)
{
    if (vector >= X86_TRAP_EXCEPTIONS && vector < VECTORS)
        irq_handlers[vector] = fn;
}

void x86_trap_set_hooks(x86_user_fault_fn fault, x86_user_return_fn ret)
{
    user_fault_hook = fault;
    user_return_hook = ret;
}

static noreturn void kernel_page_fault(struct x86_regs *r)
{
    uint64_t addr = x86_read_cr2();

    panic_regs(r, "page fault (#PF) at 0x%lx: %s%s %s in %s mode", addr,
               r->error & X86_PF_RSVD ? "reserved bit set, " : "",
               r->error & X86_PF_PRESENT ? "protection violation on" : "not-present",
               r->error & X86_PF_FETCH ? "fetch"
                                       : (r->error & X86_PF_WRITE ? "write" : "read"),
               r->error & X86_PF_USER ? "user" : "kernel");
}

static void exception(struct x86_regs *r)
{
    /* An NMI is not the interrupted program's doing: note it and go on. */
    if (r->vector == X86_TRAP_NMI) {
        kprintf("trap: NMI at rip 0x%lx\n", r->rip);
        return;
    }
    if (x86_regs_from_user(r) && user_fault_hook) {
        user_fault_hook(r);
        return;
    }
    if (r->vector == X86_TRAP_PF)
        kernel_page_fault(r);
    panic_regs(r, "%s (%s, vector %lu) error 0x%lx at rip 0x%lx", x86_trap_name(r->vector),
               x86_trap_mnemonic(r->vector), r->vector, r->error, r->rip);
}

void x86_trap_user_return(struct x86_regs *r)
{
    if (x86_regs_from_user(r) && user_return_hook)
        user_return_hook(r);
}

void x86_trap_dispatch(struct x86_regs *r)
{
    if (r->vector < X86_TRAP_EXCEPTIONS)
        exception(r);
    else if (irq_handlers[r->vector])
        irq_handlers[r->vector](r);
    /* Unclaimed vectors (spurious, the masked 8259s) need no EOI. */
    x86_trap_user_return(r);
}
