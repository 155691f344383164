/* kernel/arch/x86_64/cpu.h: small wrappers for single CPU instructions
 * (cpuid, control registers, hlt) so no inline asm leaks out of arch/. */
#ifndef ANVIL_ARCH_X86_64_CPU_H
#define ANVIL_ARCH_X86_64_CPU_H

#include <stdbool.h>
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

static inline uint64_t x86_read_cr0(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline void x86_write_cr0(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t x86_read_cr4(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void x86_write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline uint64_t x86_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                     : "memory");
}

static inline uint64_t x86_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void x86_invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void x86_sti(void)
{
    __asm__ volatile("sti" : : : "memory");
}

/* Enable interrupts and halt in one step (sti's one-instruction shadow
 * closes the race with an interrupt arriving between the two). */
static inline void x86_sti_hlt(void)
{
    __asm__ volatile("sti; hlt; cli" : : : "memory");
}

/* The 512-byte FXSAVE area, Intel SDM vol. 1 §10.5.1; 16-byte aligned. */
static inline void x86_fxsave(void *area)
{
    __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void x86_fxrstor(const void *area)
{
    __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

static inline struct x86_cpuid_result x86_cpuid_sub(uint32_t leaf, uint32_t sub)
{
    struct x86_cpuid_result r;

    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(sub));
    return r;
}

/* MSRs, Intel SDM vol. 4 table 2-2. */
#define X86_MSR_EFER 0xc0000080
#define X86_MSR_STAR 0xc0000081
#define X86_MSR_LSTAR 0xc0000082
#define X86_MSR_FMASK 0xc0000084
#define X86_MSR_FS_BASE 0xc0000100
#define X86_MSR_GS_BASE 0xc0000101
#define X86_MSR_KERNEL_GS_BASE 0xc0000102
#define X86_MSR_APIC_BASE 0x1b
#define X86_EFER_SCE (1ull << 0)
#define X86_EFER_NXE (1ull << 11)
/* Control register bits, Intel SDM vol. 3A §2.5. */
#define X86_CR0_MP (1ull << 1)
#define X86_CR0_EM (1ull << 2)
#define X86_CR0_TS (1ull << 3)
#define X86_CR0_NE (1ull << 5)
#define X86_CR4_PGE (1ull << 7)
#define X86_CR4_OSFXSR (1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_CR4_SMEP (1ull << 20)
#define X86_CR4_SMAP (1ull << 21)

/* Turn on what the kernel relies on: NX, global pages, SSE for user
 * programs, SMEP and SMAP when CPUID offers them. */
void x86_cpu_init(void);
/* True once x86_cpu_init found and enabled them (for the boot report). */
bool x86_cpu_has_smep(void);
bool x86_cpu_has_smap(void);
bool x86_cpu_has_nx(void);

/* Stop this CPU for good: interrupts off, hlt in a loop. */
noreturn void x86_halt_forever(void);

/* Idle for good without touching the interrupt flag (nothing enables
 * interrupts yet, so this is a quiet stop that a debugger can inspect). */
noreturn void x86_idle_forever(void);

#endif
