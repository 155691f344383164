/* kernel/arch/x86_64/tss.c: the one TSS (single CPU), Intel SDM vol. 3A
 * §8.7 (64-bit TSS format), and its I/O permission bitmap (§19.5.2), which
 * holds the running process's port grants. */
#include "arch/x86_64/tss.h"
#include "lib/string.h"

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

/* The bitmap follows the TSS and ends with an all-ones byte (SDM §19.5.2:
 * an access may read the byte after the last port's). */
struct tss_block {
    struct tss tss;
    uint8_t iomap[X86_IOMAP_BYTES];
    uint8_t iomap_end;
} __attribute__((packed));

/* Written at boot; rsp0 and the bitmap change on thread switches (single
 * CPU, interrupts off). */
static struct tss_block block __attribute__((aligned(16)));
/* Whose bitmap is in block.iomap; NULL: all ports denied. */
static const uint8_t *iomap_loaded;
static uint8_t ist_stacks[IST_STACKS][IST_STACK_SIZE] __attribute__((aligned(16)));
uint64_t x86_kernel_rsp0;

void x86_tss_init(uint64_t *base, uint32_t *limit)
{
    for (int i = 0; i < IST_STACKS; i++)
        block.tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
    block.tss.iomap_base = sizeof(block.tss);
    memset(block.iomap, 0xff, sizeof(block.iomap));
    block.iomap_end = 0xff;
    *base = (uint64_t)&block;
    *limit = sizeof(block) - 1;
}

void x86_tss_set_rsp0(uint64_t rsp0)
{
    block.tss.rsp[0] = rsp0;
    x86_kernel_rsp0 = rsp0;
}

void x86_tss_set_iomap(const uint8_t *map)
{
    if (map == iomap_loaded)
        return;
    if (map)
        memcpy(block.iomap, map, sizeof(block.iomap));
    else
        memset(block.iomap, 0xff, sizeof(block.iomap));
    iomap_loaded = map;
}

void x86_tss_iomap_forget(const uint8_t *map)
{
    if (map == iomap_loaded)
        x86_tss_set_iomap(NULL);
}
