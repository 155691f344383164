/* kernel/arch/x86_64/cpu.c: CPU feature setup and helpers that are more
 * than one instruction. */
#include "arch/x86_64/cpu.h"

/* CPUID bits, Intel SDM vol. 2A (CPUID). */
#define CPUID_EXT_FEATURES 0x80000001
#define CPUID_EXT_EDX_NX (1u << 20)
#define CPUID_LEAF_EXTENDED 7
#define CPUID_7_EBX_SMEP (1u << 7)
#define CPUID_7_EBX_SMAP (1u << 20)

/* Written at boot, read-only after. */
static bool cpu_smep, cpu_smap, cpu_nx;

void x86_cpu_init(void)
{
    struct x86_cpuid_result r = x86_cpuid(CPUID_EXT_FEATURES);
    uint64_t cr4 = x86_read_cr4() | X86_CR4_PGE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    uint64_t cr0 = x86_read_cr0();

    cpu_nx = r.edx & CPUID_EXT_EDX_NX;
    if (cpu_nx)
        x86_wrmsr(X86_MSR_EFER, x86_rdmsr(X86_MSR_EFER) | X86_EFER_NXE);
    if (x86_cpuid(0).eax >= CPUID_LEAF_EXTENDED) {
        r = x86_cpuid_sub(CPUID_LEAF_EXTENDED, 0);
        cpu_smep = r.ebx & CPUID_7_EBX_SMEP;
        cpu_smap = r.ebx & CPUID_7_EBX_SMAP;
    }
    /* The kernel never dereferences a user address (user copies go through
     * the direct map), so SMAP needs no stac/clac anywhere. */
    if (cpu_smep)
        cr4 |= X86_CR4_SMEP;
    if (cpu_smap)
        cr4 |= X86_CR4_SMAP;
    x86_write_cr4(cr4);
    cr0 = (cr0 & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP | X86_CR0_NE;
    x86_write_cr0(cr0);
    __asm__ volatile("fninit");
}

bool x86_cpu_has_smep(void)
{
    return cpu_smep;
}

bool x86_cpu_has_smap(void)
{
    return cpu_smap;
}

bool x86_cpu_has_nx(void)
{
    return cpu_nx;
}

noreturn void x86_halt_forever(void)
{
    x86_cli();
    for (;;)
        x86_hlt();
}

noreturn void x86_idle_forever(void)
{
    for (;;)
        x86_hlt();
}
