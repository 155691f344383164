/* kernel/arch/x86_64/tsc_cpuid.c: TSC = crystal * EBX / EAX (Intel SDM vol.
 * 3B §18.7.3, CPUID leaf 15H). When ECX does not give the crystal, derive it
 * from leaf 16H's base frequency, else take the SDM's value for the model. */
#include "arch/x86_64/tsc_cpuid.h"

#define LEAF_TSC 0x15
#define LEAF_FREQ 0x16
#define HZ_PER_MHZ 1000000ull

/* The SDM's nominal crystals (§18.7.3 table "Nominal Core Crystal Clock
 * Frequency") for family 6 models whose 0x15 leaf leaves ECX zero. */
static uint64_t known_crystal(uint32_t family, uint32_t model)
{
    if (family != 6)
        return 0;
    switch (model) {
    case 0x4e: case 0x5e: case 0x8e: case 0x9e:   /* Skylake, Kaby Lake client */
        return 24 * HZ_PER_MHZ;
    case 0x5f:                                    /* Denverton (Goldmont server) */
        return 25 * HZ_PER_MHZ;
    case 0x5c:                                    /* Apollo Lake (Goldmont) */
        return 19200000ull;
    }
    return 0;
}

/* base = crystal * numerator / denominator, so crystal follows from base. */
static uint64_t crystal_from_base(const struct tsc_cpuid_regs *r)
{
    uint64_t base = (uint64_t)r->base_mhz * HZ_PER_MHZ, c;

    if (r->max_leaf < LEAF_FREQ || base == 0 || r->denominator > UINT64_MAX / base)
        return 0;
    c = base * r->denominator / r->numerator;
    return c <= X86_TSC_MAX_HZ ? c : 0;
}

bool tsc_cpuid_freq(const struct tsc_cpuid_regs *r, struct tsc_cpuid_freq *out)
{
    uint64_t crystal, tsc;

    if (!r->intel || r->max_leaf < LEAF_TSC || r->denominator == 0 || r->numerator == 0)
        return false;
    crystal = r->crystal_hz;
    if (crystal == 0)
        crystal = crystal_from_base(r);
    if (crystal == 0)
        crystal = known_crystal(r->family, r->model);
    if (crystal == 0 || crystal > X86_TSC_MAX_HZ || r->numerator > UINT64_MAX / crystal)
        return false;
    tsc = crystal * r->numerator / r->denominator;
    if (tsc < X86_TSC_MIN_HZ || tsc > X86_TSC_MAX_HZ)
        return false;
    out->tsc_hz = tsc;
    out->crystal_hz = crystal;
    return true;
}
