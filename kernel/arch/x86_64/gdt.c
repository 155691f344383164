/* kernel/arch/x86_64/gdt.c: the global descriptor table: kernel and user
 * code and data, and the TSS. Long mode ignores base and limit for code and
 * data; what matters is the L bit for code, P and DPL. */
#include <stdint.h>

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/tss.h"

/* Descriptor bits, Intel SDM vol. 3A §3.4.5 (figure 3-8). */
#define GDT_ACCESS_PRESENT (1ull << 47)
#define GDT_ACCESS_DPL3 (3ull << 45)
#define GDT_ACCESS_NONSYS (1ull << 44)   /* S: code or data segment */
#define GDT_ACCESS_EXEC (1ull << 43)
#define GDT_ACCESS_RW (1ull << 41)       /* readable code / writable data */
#define GDT_FLAG_LONG (1ull << 53)       /* L: 64-bit code segment */
#define GDT_FLAG_DB (1ull << 54)         /* D/B: must be 0 when L is 1 */
#define GDT_FLAG_GRAN (1ull << 55)
#define GDT_LIMIT_MAX 0x000f00000000ffffull
#define GDT_TYPE_TSS_AVAILABLE (9ull << 40)   /* §3.5, table 3-2 */

#define GDT_KCODE (GDT_ACCESS_PRESENT | GDT_ACCESS_NONSYS | GDT_ACCESS_EXEC | \
                   GDT_ACCESS_RW | GDT_FLAG_LONG | GDT_FLAG_GRAN | GDT_LIMIT_MAX)
#define GDT_KDATA (GDT_ACCESS_PRESENT | GDT_ACCESS_NONSYS | GDT_ACCESS_RW | \
                   GDT_FLAG_DB | GDT_FLAG_GRAN | GDT_LIMIT_MAX)
#define GDT_UCODE (GDT_KCODE | GDT_ACCESS_DPL3)
#define GDT_UDATA (GDT_KDATA | GDT_ACCESS_DPL3)
#define GDT_ENTRIES 7   /* null, kcode, kdata, udata, ucode, tss (two slots) */

struct gdt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* Written at boot, read-only after (the CPU sets the TSS busy bit). */
static uint64_t gdt_table[GDT_ENTRIES] = {
    0,                              /* the null descriptor */
    [X86_SEL_KCODE / 8] = GDT_KCODE,
    [X86_SEL_KDATA / 8] = GDT_KDATA,
    [X86_SEL_UDATA / 8] = GDT_UDATA,
    [X86_SEL_UCODE / 8] = GDT_UCODE,
};

/* A 16-byte system descriptor, Intel SDM vol. 3A §8.2.3 (figure 8-4). */
static void set_tss_descriptor(void)
{
    uint64_t base;
    uint32_t limit;

    x86_tss_init(&base, &limit);
    gdt_table[X86_SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                                 GDT_TYPE_TSS_AVAILABLE | GDT_ACCESS_PRESENT |
                                 ((uint64_t)(limit >> 16) << 48) | ((base >> 24 & 0xff) << 56);
    gdt_table[X86_SEL_TSS / 8 + 1] = base >> 32;
}

void x86_gdt_init(void)
{
    struct gdt_pointer ptr = {
        .limit = sizeof(gdt_table) - 1,
        .base = (uint64_t)gdt_table,
    };

    set_tss_descriptor();
    /* CS can only be reloaded by a far transfer: push CS:RIP and lretq. */
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %2, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movl %%eax, %%fs\n\t"
                     "movl %%eax, %%gs\n\t"
                     "movw %3, %%ax\n\t"
                     "ltr %%ax\n\t"
                     :
                     : "m"(ptr), "i"(X86_SEL_KCODE), "i"(X86_SEL_KDATA), "i"(X86_SEL_TSS)
                     : "rax", "memory");
}
