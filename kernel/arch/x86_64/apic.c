/* kernel/arch/x86_64/apic.c: the local APIC (Intel SDM vol. 3A ch. 11):
 * enable through the spurious-vector register, acknowledge with EOI, and a
 * periodic timer whose rate calibrate.c measured (or CPUID stated). */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/trap.h"

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LAPIC_SVR_ENABLE (1u << 8)
#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_TIMER_PERIODIC (1u << 17)
#define LAPIC_DIVIDE_16 0x3
#define LAPIC_COUNT_FULL 0xffffffffu
#define APIC_BASE_ENABLE (1ull << 11)

/* Written at boot, read-only after. */
static volatile uint32_t *lapic;

static uint32_t rd(unsigned reg)
{
    return lapic[reg / 4];
}

static void wr(unsigned reg, uint32_t v)
{
    lapic[reg / 4] = v;
}

void x86_lapic_init(uint64_t phys)
{
    x86_wrmsr(X86_MSR_APIC_BASE, x86_rdmsr(X86_MSR_APIC_BASE) | APIC_BASE_ENABLE);
    x86_direct_map_extend(phys, X86_PAGE_SIZE);
    lapic = x86_phys_to_virt(phys);
    wr(LAPIC_TPR, 0);
    wr(LAPIC_SVR, LAPIC_SVR_ENABLE | X86_VECTOR_SPURIOUS);
    wr(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
}

void x86_lapic_eoi(void)
{
    wr(LAPIC_EOI, 0);
}

uint32_t x86_lapic_id(void)
{
    return rd(LAPIC_ID) >> 24;
}

void x86_lapic_count_start(void)
{
    wr(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_16);
    wr(LAPIC_TIMER_INIT, LAPIC_COUNT_FULL);
}

uint32_t x86_lapic_count_stop(void)
{
    uint32_t left = rd(LAPIC_TIMER_CURRENT);

    wr(LAPIC_TIMER_INIT, 0);
    return LAPIC_COUNT_FULL - left;
}

void x86_lapic_timer_start(unsigned hz, uint64_t counts_per_sec)
{
    wr(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_16);
    wr(LAPIC_LVT_TIMER, X86_VECTOR_TIMER | LAPIC_TIMER_PERIODIC);
    wr(LAPIC_TIMER_INIT, (uint32_t)(counts_per_sec / hz));
}
