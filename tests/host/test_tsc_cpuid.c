/* tests/host/test_tsc_cpuid.c: the kernel's CPUID 0x15/0x16 arithmetic on the
 * host: the TSC and crystal rates from each way a CPU can state them, and the
 * leaves it must refuse. */
#include "arch/x86_64/tsc_cpuid.h"
#include "tap.h"

/* A Skylake client that leaves ECX zero: 24 MHz nominal crystal. */
static const struct tsc_cpuid_regs skylake = {
    .max_leaf = 0x16, .intel = true, .family = 6, .model = 0x8e,
    .denominator = 2, .numerator = 176, .crystal_hz = 0, .base_mhz = 0,
};

static void test_stated_crystal(void)
{
    /* Ice Lake and later state the crystal: 38.4 MHz * 62 / 2 = 1190.4 MHz */
    struct tsc_cpuid_regs r = {.max_leaf = 0x1b, .intel = true, .family = 6, .model = 0x7e,
                               .denominator = 2, .numerator = 62, .crystal_hz = 38400000};
    struct tsc_cpuid_freq f = {0};

    tap_ok(tsc_cpuid_freq(&r, &f), "ECX states the crystal: a rate");
    tap_is_int(f.tsc_hz, 1190400000, "TSC = crystal * EBX / EAX");
    tap_is_int(f.crystal_hz, 38400000, "the crystal is ECX");
}

static void test_crystal_from_base(void)
{
    /* 0x16 says 2100 MHz base, ratio 176/2: crystal = 2100 MHz * 2 / 176 */
    struct tsc_cpuid_regs r = skylake;
    struct tsc_cpuid_freq f = {0};

    r.base_mhz = 2100;
    tap_ok(tsc_cpuid_freq(&r, &f), "ECX zero, 0x16 base frequency: a rate");
    tap_is_int(f.crystal_hz, 23863636, "the crystal follows from the base frequency");
    tap_is_int(f.tsc_hz, 2099999968, "and the TSC from the crystal (integer rounding)");
    r.max_leaf = 0x15;
    tap_ok(tsc_cpuid_freq(&r, &f) && f.crystal_hz == 24000000,
           "a 0x16 leaf above the maximum leaf is ignored: the model's crystal instead");
}

static void test_known_crystals(void)
{
    struct tsc_cpuid_regs r = skylake;
    struct tsc_cpuid_freq f = {0};

    tap_ok(tsc_cpuid_freq(&r, &f), "ECX zero, no 0x16: the model's nominal crystal");
    tap_is_int(f.tsc_hz, 2112000000, "Skylake: 24 MHz * 176 / 2");
    r.model = 0x5c;
    r.numerator = 100;
    tap_ok(tsc_cpuid_freq(&r, &f) && f.crystal_hz == 19200000, "Goldmont: 19.2 MHz");
    r.model = 0x5f;
    tap_ok(tsc_cpuid_freq(&r, &f) && f.crystal_hz == 25000000, "Denverton: 25 MHz");
    r.model = 0x3c;
    tap_ok(!tsc_cpuid_freq(&r, &f), "an unknown model without ECX or 0x16: no rate");
}

/* Each a Skylake with one thing wrong. */
static void test_refused(void)
{
    static const struct {
        const char *what;
        struct tsc_cpuid_regs r;
    } bad[] = {
        {"not Intel: the leaf means nothing",
         {.max_leaf = 0x16, .family = 6, .model = 0x8e, .denominator = 2, .numerator = 176}},
        {"no leaf 0x15 (QEMU's TCG CPUs): no rate",
         {.max_leaf = 0xd, .intel = true, .family = 6, .model = 0x8e, .denominator = 2,
          .numerator = 176}},
        {"EAX zero: the ratio is not enumerated",
         {.max_leaf = 0x16, .intel = true, .family = 6, .model = 0x8e, .numerator = 176}},
        {"EBX zero: the ratio is not enumerated",
         {.max_leaf = 0x16, .intel = true, .family = 6, .model = 0x8e, .denominator = 2}},
        {"an implausibly slow TSC (88 kHz) is refused",
         {.max_leaf = 0x16, .intel = true, .family = 6, .model = 0x8e, .denominator = 2,
          .numerator = 176, .crystal_hz = 1000}},
        {"an impossible ratio is refused, without overflow",
         {.max_leaf = 0x16, .intel = true, .family = 6, .model = 0x8e, .denominator = 1,
          .numerator = 0xffffffffu, .crystal_hz = 0xffffffffu}},
        {"a huge base frequency is refused, without overflow",
         {.max_leaf = 0x16, .intel = true, .family = 6, .model = 0x8e,
          .denominator = 0xffffffffu, .numerator = 1, .base_mhz = 0xffffffffu}},
    };
    struct tsc_cpuid_freq f = {0};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        tap_ok(!tsc_cpuid_freq(&bad[i].r, &f), "%s", bad[i].what);
}

int main(void)
{
    test_stated_crystal();
    test_crystal_from_base();
    test_known_crystals();
    test_refused();
    return tap_done();
}
