/* kernel/arch/x86_64/regs.c: printing a saved register set and the call
 * chain behind it, for panics. */
#include <stdbool.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/regs.h"
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"

#define BACKTRACE_MAX_FRAMES 16

/* Bounds of the loaded kernel image (boot stack included), from kernel.ld. */
extern char __kernel_start[], __kernel_end[];

/* A frame pointer we may dereference: aligned, inside the kernel image. */
static bool frame_ok(uint64_t rbp)
{
    return (rbp & 7) == 0 && rbp >= (uint64_t)__kernel_start &&
           rbp + 16 <= (uint64_t)__kernel_end;
}

/* Follow the rbp chain (the kernel keeps frame pointers). */
static void backtrace(uint64_t rip, uint64_t rbp)
{
    kprintf("  backtrace: %016lx", rip);
    for (int i = 0; i < BACKTRACE_MAX_FRAMES && frame_ok(rbp); i++) {
        const uint64_t *frame = (const uint64_t *)rbp;

        if (frame[1] == 0)
            break;
        kprintf(" %016lx", frame[1]);
        if (frame[0] <= rbp)    /* stacks grow down: callers live higher */
            break;
        rbp = frame[0];
    }
    kprintf("\n");
}

static void dump_vector(const struct x86_regs *r)
{
    if (r->vector == X86_REGS_NO_VECTOR) {
        kprintf("  vector none (software panic)\n");
        return;
    }
    kprintf("  vector %lu %s (%s) error 0x%lx\n", r->vector,
            x86_trap_mnemonic(r->vector), x86_trap_name(r->vector), r->error);
}

void x86_regs_dump(const struct x86_regs *r)
{
    dump_vector(r);
    kprintf("  rip %016lx  cs %04lx  rflags %016lx\n", r->rip, r->cs, r->rflags);
    kprintf("  rsp %016lx  ss %04lx  rbp %016lx\n", r->rsp, r->ss, r->rbp);
    kprintf("  rax %016lx  rbx %016lx  rcx %016lx\n", r->rax, r->rbx, r->rcx);
    kprintf("  rdx %016lx  rsi %016lx  rdi %016lx\n", r->rdx, r->rsi, r->rdi);
    kprintf("  r8  %016lx  r9  %016lx  r10 %016lx\n", r->r8, r->r9, r->r10);
    kprintf("  r11 %016lx  r12 %016lx  r13 %016lx\n", r->r11, r->r12, r->r13);
    kprintf("  r14 %016lx  r15 %016lx\n", r->r14, r->r15);
    if (r->vector == X86_TRAP_PF)
        kprintf("  cr2 %016lx  cr3 %016lx\n", x86_read_cr2(), x86_read_cr3());
    else
        kprintf("  cr3 %016lx\n", x86_read_cr3());
    backtrace(r->rip, r->rbp);
}
