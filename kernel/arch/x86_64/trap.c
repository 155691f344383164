/* kernel/arch/x86_64/trap.c: what happens on a CPU exception. For now every
 * exception is a kernel bug: panic with the vector and the registers. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "lib/panic.h"

/* Page-fault error code bits, Intel SDM vol. 3A §4.7 (figure 4-12). */
#define PF_ERR_PRESENT (1u << 0)
#define PF_ERR_WRITE (1u << 1)
#define PF_ERR_USER (1u << 2)
#define PF_ERR_RSVD (1u << 3)
#define PF_ERR_FETCH (1u << 4)

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

const char *x86_trap_mnemonic(uint64_t vector)
{
    return vector < X86_TRAP_EXCEPTIONS ? trap_table[vector].mnemonic : "?";
}

const char *x86_trap_name(uint64_t vector)
{
    return vector < X86_TRAP_EXCEPTIONS ? trap_table[vector].name : "unknown";
}

static noreturn void page_fault(struct x86_regs *r)
{
    uint64_t addr = x86_read_cr2();

    panic_regs(r, "page fault (#PF) at 0x%lx: %s%s %s in %s mode", addr,
               r->error & PF_ERR_RSVD ? "reserved bit set, " : "",
               r->error & PF_ERR_PRESENT ? "protection violation on" : "not-present",
               r->error & PF_ERR_FETCH ? "fetch"
                                       : (r->error & PF_ERR_WRITE ? "write" : "read"),
               r->error & PF_ERR_USER ? "user" : "kernel");
}

void x86_trap_dispatch(struct x86_regs *r)
{
    if (r->vector == X86_TRAP_PF)
        page_fault(r);
    panic_regs(r, "%s (%s, vector %lu) error 0x%lx at rip 0x%lx", x86_trap_name(r->vector),
               x86_trap_mnemonic(r->vector), r->vector, r->error, r->rip);
}
