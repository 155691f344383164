/* kernel/arch/x86_64/rng.c: RDSEED and RDRAND (SDM vol. 1 §7.3.17). Both
 * may fail transiently (CF = 0); a few retries are the documented answer. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/rng.h"

#define CPUID_FEATURES 1
#define CPUID_ECX_RDRAND (1u << 30)      /* leaf 1, ECX bit 30 */
#define CPUID_LEAF_EXTENDED 7
#define CPUID_EBX_RDSEED (1u << 18)      /* leaf 7 subleaf 0, EBX bit 18 */
#define RNG_RETRIES 16

static bool has_rdrand(void)
{
    return x86_cpuid(CPUID_FEATURES).ecx & CPUID_ECX_RDRAND;
}

static bool has_rdseed(void)
{
    return x86_cpuid(0).eax >= CPUID_LEAF_EXTENDED &&
           (x86_cpuid_sub(CPUID_LEAF_EXTENDED, 0).ebx & CPUID_EBX_RDSEED);
}

static bool rdseed(uint64_t *out)
{
    for (int i = 0; i < RNG_RETRIES; i++) {
        uint8_t ok;
        __asm__ volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
        if (ok)
            return true;
        x86_pause();
    }
    return false;
}

static bool rdrand(uint64_t *out)
{
    for (int i = 0; i < RNG_RETRIES; i++) {
        uint8_t ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
        if (ok)
            return true;
    }
    return false;
}

bool x86_rng_u64(uint64_t *out)
{
    if (has_rdseed() && rdseed(out))
        return true;
    return has_rdrand() && rdrand(out);
}
