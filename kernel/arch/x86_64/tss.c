/* kernel/arch/x86_64/tss.c: the one TSS (single CPU), Intel SDM vol. 3A
 * §8.7 (64-bit TSS format). */
#include "arch/x86_64/tss.h"

#define IST_STACK_SIZE 8192
#define IST_STACKS 3

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes");

/* Written at boot; rsp0 changes on every thread switch (single CPU). */
static struct tss tss;
static uint8_t ist_stacks[IST_STACKS][IST_STACK_SIZE] __attribute__((aligned(16)));
uint64_t x86_kernel_rsp0;

void x86_tss_init(uint64_t *base, uint32_t *limit)
{
    for (int i = 0; i < IST_STACKS; i++)
        tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
    tss.iomap_base = sizeof(tss);   /* no I/O permission bitmap */
    *base = (uint64_t)&tss;
    *limit = sizeof(tss) - 1;
}

void x86_tss_set_rsp0(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
    x86_kernel_rsp0 = rsp0;
}
