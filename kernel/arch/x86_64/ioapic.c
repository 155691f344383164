/* kernel/arch/x86_64/ioapic.c: the 82093AA IO-APIC: an index/data register
 * pair and one 64-bit redirection entry per input (data sheet §3.2). */
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/paging.h"
#include "lib/errno.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPICVER 0x01
#define IOREDTBL(n) (0x10 + 2 * (n))
#define RED_MASKED (1u << 16)
#define RED_LEVEL (1u << 15)
#define RED_ACTIVE_LOW (1u << 13)

/* Written at boot, read-only after. */
static volatile uint32_t *ioapic;
static uint32_t ioapic_gsi_base;
static unsigned ioapic_inputs;

static uint32_t rd(uint32_t reg)
{
    ioapic[IOREGSEL / 4] = reg;
    return ioapic[IOWIN / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
    ioapic[IOREGSEL / 4] = reg;
    ioapic[IOWIN / 4] = v;
}

void x86_ioapic_init(uint64_t phys, uint32_t gsi_base)
{
    x86_direct_map_extend(phys, X86_PAGE_SIZE);
    ioapic = x86_phys_to_virt(phys);
    ioapic_gsi_base = gsi_base;
    ioapic_inputs = ((rd(IOAPICVER) >> 16) & 0xff) + 1;
    for (unsigned i = 0; i < ioapic_inputs; i++) {
        wr(IOREDTBL(i), RED_MASKED);
        wr(IOREDTBL(i) + 1, 0);
    }
}

int x86_ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest, bool active_low, bool level)
{
    uint32_t low = vector;

    if (!ioapic || gsi < ioapic_gsi_base || gsi - ioapic_gsi_base >= ioapic_inputs)
        return -EINVAL;
    if (active_low)
        low |= RED_ACTIVE_LOW;
    if (level)
        low |= RED_LEVEL;
    wr(IOREDTBL(gsi - ioapic_gsi_base) + 1, dest << 24);
    wr(IOREDTBL(gsi - ioapic_gsi_base), low);
    return 0;
}

int x86_ioapic_mask(uint32_t gsi, bool masked)
{
    uint32_t reg, low;

    if (!ioapic || gsi < ioapic_gsi_base || gsi - ioapic_gsi_base >= ioapic_inputs)
        return -EINVAL;
    reg = IOREDTBL(gsi - ioapic_gsi_base);
    low = rd(reg);
    wr(reg, masked ? low | RED_MASKED : low & ~RED_MASKED);
    return 0;
}
