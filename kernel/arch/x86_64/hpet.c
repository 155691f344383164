/* kernel/arch/x86_64/hpet.c: the HPET's main counter (IA-PC HPET 1.0a
 * §2.3): its period comes from the capabilities register; the counter runs
 * once ENABLE_CNF is set. Only the low 32 bits are read: a 32-bit counter
 * has no more, and even at 100 MHz they wrap after 42 s, long past a
 * calibration. */
#include "arch/x86_64/hpet.h"
#include "arch/x86_64/paging.h"

#define HPET_SIZE 0x400
#define HPET_CAP 0x00
#define HPET_CAP_PERIOD_SHIFT 32           /* femtoseconds per tick */
#define HPET_CONFIG 0x10
#define HPET_ENABLE_CNF 1u
#define HPET_COUNTER 0xf0
#define HPET_MAX_PERIOD_FS 100000000ull    /* 100 ns, the specification's limit */
#define FS_PER_SEC 1000000000000000ull
#define MASK_32 0xffffffffull

/* Written at boot, read-only after. */
static volatile uint8_t *hpet;

static uint64_t hpet_read(void)
{
    return *(volatile uint32_t *)(hpet + HPET_COUNTER);
}

bool x86_hpet_probe(uint64_t phys, struct x86_refclock *out)
{
    volatile uint64_t *config;
    uint64_t period;

    if (phys == 0 || phys & 0x7)
        return false;
    if (!x86_direct_map_covers(phys, HPET_SIZE) && x86_direct_map_extend(phys, HPET_SIZE) < 0)
        return false;
    hpet = x86_phys_to_virt(phys);
    period = *(volatile uint64_t *)(hpet + HPET_CAP) >> HPET_CAP_PERIOD_SHIFT;
    if (period == 0 || period > HPET_MAX_PERIOD_FS)
        return false;   /* all ones or zero: no HPET answers there */
    config = (volatile uint64_t *)(hpet + HPET_CONFIG);
    *config |= HPET_ENABLE_CNF;
    *out = (struct x86_refclock){
        .name = "hpet", .read = hpet_read, .mask = MASK_32, .hz = FS_PER_SEC / period,
    };
    return true;
}
