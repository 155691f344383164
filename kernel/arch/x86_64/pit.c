/* kernel/arch/x86_64/pit.c: PIT channel 2 counts down in mode 0 with its
 * gate in port 0x61 (8254 data sheet; the PC speaker port), whose bit 5
 * shows the output rising at the end (mode 0 holds it low until then). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/pit.h"

#define PIT_HZ 1193182u
#define PIT_MAX_COUNT 0xffffu
#define PIT_CH2_DATA 0x42
#define PIT_CMD 0x43
#define PIT_CMD_CH2_MODE0_LOHI 0xb0
#define PORT_61 0x61
#define PORT_61_GATE2 0x01
#define PORT_61_SPEAKER 0x02
#define PORT_61_OUT2 0x20
#define NSEC_PER_SEC 1000000000ull

uint64_t x86_pit_wait_ns(unsigned ms, uint64_t tsc_deadline)
{
    uint32_t count = PIT_HZ / 1000 * ms;
    uint8_t p61 = x86_inb(PORT_61);
    bool rose = false;

    if (count > PIT_MAX_COUNT)
        count = PIT_MAX_COUNT;
    x86_outb(PORT_61, (p61 & ~PORT_61_SPEAKER) & ~PORT_61_GATE2);
    x86_outb(PIT_CMD, PIT_CMD_CH2_MODE0_LOHI);
    x86_outb(PIT_CH2_DATA, count & 0xff);
    x86_outb(PIT_CH2_DATA, count >> 8);
    x86_outb(PORT_61, (p61 & ~PORT_61_SPEAKER) | PORT_61_GATE2);   /* start */
    /* high before the count ran out: no 8254 behind the port */
    if (!(x86_inb(PORT_61) & PORT_61_OUT2))
        while (!(rose = x86_inb(PORT_61) & PORT_61_OUT2) && x86_rdtsc() < tsc_deadline)
            ;
    x86_outb(PORT_61, p61);
    return rose ? (uint64_t)count * NSEC_PER_SEC / PIT_HZ : 0;
}
