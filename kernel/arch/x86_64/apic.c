/* kernel/arch/x86_64/apic.c: the local APIC (Intel SDM vol. 3A ch. 11):
 * enable through the spurious-vector register, acknowledge with EOI, and a
 * periodic timer. Calibration: PIT channel 2 counts down a known interval
 * in mode 0 with its gate in port 0x61 (8254 data sheet; the PC speaker
 * port), while we watch the LAPIC count and the TSC. */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/io.h"
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
#define APIC_BASE_ENABLE (1ull << 11)

#define PIT_HZ 1193182u
#define PIT_CH2_DATA 0x42
#define PIT_CMD 0x43
#define PIT_CMD_CH2_MODE0_LOHI 0xb0
#define PORT_61 0x61
#define PORT_61_GATE2 0x01
#define PORT_61_SPEAKER 0x02
#define PORT_61_OUT2 0x20
#define CALIBRATE_MS 20
#define CALIBRATE_SPINS 100000000u

/* Written at boot, read-only after. */
static volatile uint32_t *lapic;
static uint64_t tsc_hz, lapic_timer_hz;

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

/* Run PIT channel 2 for CALIBRATE_MS; the LAPIC counts down meanwhile. */
static void calibrate(void)
{
    uint32_t count = PIT_HZ / 1000 * CALIBRATE_MS;
    uint8_t p61 = x86_inb(PORT_61);
    uint64_t tsc0, tsc1;
    uint32_t left;
    unsigned spins = 0;

    x86_outb(PORT_61, (p61 & ~PORT_61_SPEAKER) & ~PORT_61_GATE2);
    x86_outb(PIT_CMD, PIT_CMD_CH2_MODE0_LOHI);
    x86_outb(PIT_CH2_DATA, count & 0xff);
    x86_outb(PIT_CH2_DATA, count >> 8);
    wr(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_16);
    x86_outb(PORT_61, (p61 & ~PORT_61_SPEAKER) | PORT_61_GATE2);   /* start */
    wr(LAPIC_TIMER_INIT, 0xffffffffu);
    tsc0 = x86_rdtsc();
    while (!(x86_inb(PORT_61) & PORT_61_OUT2) && spins++ < CALIBRATE_SPINS)
        ;
    left = rd(LAPIC_TIMER_CURRENT);
    tsc1 = x86_rdtsc();
    wr(LAPIC_TIMER_INIT, 0);
    x86_outb(PORT_61, p61);
    lapic_timer_hz = (uint64_t)(0xffffffffu - left) * 1000 / CALIBRATE_MS;
    tsc_hz = (tsc1 - tsc0) * 1000 / CALIBRATE_MS;
}

void x86_lapic_timer_start(unsigned hz)
{
    calibrate();
    if (lapic_timer_hz < hz)
        lapic_timer_hz = 1000000000ull / 16;   /* a guess; the PIT did not answer */
    if (tsc_hz == 0)
        tsc_hz = 1000000000ull;
    wr(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_16);
    wr(LAPIC_LVT_TIMER, X86_VECTOR_TIMER | LAPIC_TIMER_PERIODIC);
    wr(LAPIC_TIMER_INIT, (uint32_t)(lapic_timer_hz / hz));
}

uint64_t x86_tsc_hz(void)
{
    return tsc_hz;
}

uint64_t x86_lapic_timer_hz(void)
{
    return lapic_timer_hz;
}
