/* kernel/arch/x86_64/calibrate.c: choosing the time source. CPUID leaf 0x15
 * states the TSC rate and the crystal that drives the LAPIC timer; under a
 * hypervisor the LAPIC timer is emulated at another rate, so there it is
 * measured against the TSC. Without the leaf both are measured over
 * CALIBRATE_MS against a reference counter; every wait is bounded by the
 * TSC at its fastest plausible rate, so a dead counter (a clock-gated PIT)
 * costs a fraction of a second, not a hang. */
#include "arch/x86_64/acpi_timers.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/calibrate.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hpet.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/pmtimer.h"
#include "arch/x86_64/tsc_cpuid.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define CALIBRATE_MS 20
#define NSEC_PER_SEC 1000000000ull
#define LAPIC_DIVISOR 16
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define GUESS_TSC_HZ 1000000000ull            /* nothing answered: say 1 GHz */
#define GUESS_LAPIC_HZ (1000000000ull / LAPIC_DIVISOR)

/* The sources in the order they are tried. */
static const char *const order[] = {"cpuid", "pmtimer", "hpet", "pit"};
#define SOURCES (sizeof(order) / sizeof(order[0]))

/* Written at boot, read-only after. */
static struct x86_timing timing;

static bool cpuid_rates(struct tsc_cpuid_freq *f)
{
    struct x86_cpuid_result id = x86_cpuid(0), one;
    struct tsc_cpuid_regs r = {.max_leaf = id.eax};
    uint32_t family, model;

    r.intel = id.ebx == 0x756e6547 && id.edx == 0x49656e69 && id.ecx == 0x6c65746e;
    one = x86_cpuid(1);
    family = (one.eax >> 8) & 0xf;
    model = (one.eax >> 4) & 0xf;
    if (family == 6 || family == 0xf)
        model |= ((one.eax >> 16) & 0xf) << 4;
    r.family = family == 0xf ? family + ((one.eax >> 20) & 0xff) : family;
    r.model = model;
    if (r.intel && r.max_leaf >= 0x15) {
        struct x86_cpuid_result l15 = x86_cpuid(0x15);
        r.denominator = l15.eax;
        r.numerator = l15.ebx;
        r.crystal_hz = l15.ecx;
    }
    if (r.intel && r.max_leaf >= 0x16)
        r.base_mhz = x86_cpuid(0x16).eax & 0xffff;
    return tsc_cpuid_freq(&r, f);
}

static uint64_t tsc_read(void)
{
    return x86_rdtsc();
}

/* Wait ms on ref; the nanoseconds waited, or 0 if it stalled past deadline. */
static uint64_t counter_wait_ns(const struct x86_refclock *ref, unsigned ms, uint64_t deadline)
{
    uint64_t want = ref->hz * ms / 1000, start = ref->read(), went = 0;

    while (went < want) {
        if (x86_rdtsc() > deadline)
            return 0;
        went = (ref->read() - start) & ref->mask;
    }
    return went * NSEC_PER_SEC / ref->hz;
}

/* Count the TSC and LAPIC over CALIBRATE_MS of ref (NULL: the PIT). */
static bool measure(const struct x86_refclock *ref, uint64_t *tsc_hz, uint64_t *lapic_hz)
{
    uint64_t tsc0, deadline, ns, ticks;
    uint32_t counts;

    x86_lapic_count_start();
    tsc0 = x86_rdtsc();
    deadline = tsc0 + X86_TSC_MAX_HZ / 1000 * CALIBRATE_MS;
    ns = ref ? counter_wait_ns(ref, CALIBRATE_MS, deadline)
             : x86_pit_wait_ns(CALIBRATE_MS, deadline);
    counts = x86_lapic_count_stop();
    ticks = x86_rdtsc() - tsc0;
    if (ns == 0 || counts == 0 || ticks == 0 || ticks > UINT64_MAX / NSEC_PER_SEC)
        return false;
    *tsc_hz = ticks * NSEC_PER_SEC / ns;
    if (*tsc_hz < X86_TSC_MIN_HZ)
        return false;   /* the reference ran fast: it is not what it claims */
    *lapic_hz = (uint64_t)counts * NSEC_PER_SEC / ns;
    return true;
}

/* CPUID's rates; the LAPIC's measured against the TSC under a hypervisor. */
static bool try_cpuid(void)
{
    struct tsc_cpuid_freq f;
    struct x86_refclock tsc = {.name = "tsc", .read = tsc_read, .mask = ~0ull};
    uint64_t ignored;

    if (!cpuid_rates(&f))
        return false;
    timing.tsc_hz = tsc.hz = f.tsc_hz;
    if (!(x86_cpuid(1).ecx & CPUID_1_ECX_HYPERVISOR)) {
        timing.lapic_hz = f.crystal_hz / LAPIC_DIVISOR;
        timing.lapic_from = "cpuid";
        return true;
    }
    timing.lapic_from = "tsc";
    return measure(&tsc, &ignored, &timing.lapic_hz);
}

static bool try_reference(const uint8_t *rsdp, size_t rsdp_len, const char *name)
{
    struct x86_refclock ref = {0};
    bool found;

    if (!strcmp(name, "pmtimer")) {
        struct acpi_pm_timer t = acpi_read_pm_timer(rsdp, rsdp_len);
        found = x86_pmtimer_probe(&t, &ref);
    } else if (!strcmp(name, "hpet")) {
        found = x86_hpet_probe(acpi_read_hpet(rsdp, rsdp_len), &ref);
    } else {
        found = !strcmp(name, "pit");
    }
    timing.lapic_from = name;
    return found && measure(ref.read ? &ref : NULL, &timing.tsc_hz, &timing.lapic_hz);
}

static bool try_source(const uint8_t *rsdp, size_t rsdp_len, const char *name)
{
    bool ok = !strcmp(name, "cpuid") ? try_cpuid() : try_reference(rsdp, rsdp_len, name);

    if (ok)
        timing.source = name;
    return ok;
}

static bool known(const char *name)
{
    for (size_t i = 0; i < SOURCES; i++)
        if (!strcmp(name, order[i]))
            return true;
    return false;
}

void x86_calibrate(const uint8_t *rsdp, size_t rsdp_len, const char *force)
{
    if (force && force[0] && !known(force))
        kprintf("timer: unknown clock=%s (want cpuid, pmtimer, hpet or pit)\n", force);
    else if (force && force[0] && try_source(rsdp, rsdp_len, force))
        return;
    else if (force && force[0])
        kprintf("timer: clock=%s is not available here; trying the others\n", force);
    for (size_t i = 0; i < SOURCES; i++)
        if (try_source(rsdp, rsdp_len, order[i]))
            return;
    timing = (struct x86_timing){
        .source = "guess", .tsc_hz = GUESS_TSC_HZ, .lapic_hz = GUESS_LAPIC_HZ,
        .lapic_from = "guess",
    };
}

const struct x86_timing *x86_timing_get(void)
{
    return &timing;
}

uint64_t x86_tsc_hz(void)
{
    return timing.tsc_hz;
}
