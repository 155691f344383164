/* kernel/arch/x86_64/qemu.c: detecting QEMU and leaving it with a status
 * through its isa-debug-exit device (encoding in include/anvil/exit.h). */
#include <anvil/exit.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/qemu.h"
#include "lib/string.h"

/* CPUID.1:ECX bit 31 is reserved for hypervisors (Intel SDM vol. 2A, CPUID). */
#define CPUID_LEAF_FEATURES 1
#define CPUID_ECX_HYPERVISOR (1u << 31)
/* Hypervisor leaves: 0x40000000 returns a 12-byte vendor signature in
 * EBX, ECX, EDX (QEMU target/i386/cpu.c for TCG, Linux KVM's cpuid.rst). */
#define CPUID_LEAF_HYPERVISOR 0x40000000
#define QEMU_SIG_TCG "TCGTCGTCGTCG"
#define QEMU_SIG_KVM "KVMKVMKVM\0\0\0"
#define SIG_LEN 12

bool x86_qemu_detect(void)
{
    struct x86_cpuid_result r = x86_cpuid(CPUID_LEAF_FEATURES);
    char sig[SIG_LEN];

    if (!(r.ecx & CPUID_ECX_HYPERVISOR))
        return false;
    r = x86_cpuid(CPUID_LEAF_HYPERVISOR);
    memcpy(sig, &r.ebx, 4);
    memcpy(sig + 4, &r.ecx, 4);
    memcpy(sig + 8, &r.edx, 4);
    return memcmp(sig, QEMU_SIG_TCG, SIG_LEN) == 0 || memcmp(sig, QEMU_SIG_KVM, SIG_LEN) == 0;
}

void x86_qemu_exit(uint32_t value)
{
    if (!x86_qemu_detect())
        return;
    /* With the device present QEMU exits during this write. */
    x86_outl(ANVIL_QEMU_EXIT_PORT, value);
}
