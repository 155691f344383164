/* kernel/arch/x86_64/cpu.h: small wrappers for single CPU instructions
 * (cpuid, control registers, hlt) so no inline asm leaks out of arch/. */
#ifndef ANVIL_ARCH_X86_64_CPU_H
#define ANVIL_ARCH_X86_64_CPU_H

#include <stdint.h>
#include <stdnoreturn.h>

struct x86_cpuid_result {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct x86_cpuid_result x86_cpuid(uint32_t leaf)
{
    struct x86_cpuid_result r;

    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(0));
    return r;
}

static inline uint64_t x86_read_cr2(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t x86_read_cr3(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void x86_write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void x86_cli(void)
{
    __asm__ volatile("cli" : : : "memory");
}

/* Spin-wait hint for polling loops. */
static inline void x86_pause(void)
{
    __asm__ volatile("pause" : : : "memory");
}

/* Sleep until an interrupt; with interrupts off (as now) that is forever,
 * but an NMI could wake us, so callers loop. */
static inline void x86_hlt(void)
{
    __asm__ volatile("hlt" : : : "memory");
}

/* Stop this CPU for good: interrupts off, hlt in a loop. */
noreturn void x86_halt_forever(void);

/* Idle for good without touching the interrupt flag (nothing enables
 * interrupts yet, so this is a quiet stop that a debugger can inspect). */
noreturn void x86_idle_forever(void);

#endif
