/* kernel/arch/x86_64/gdt.c: the kernel's global descriptor table. Long mode
 * ignores base and limit; what matters is the L bit for code and P/DPL.
 * User segments and a TSS come with user mode. */
#include <stdint.h>

#include "arch/x86_64/gdt.h"

/* Descriptor bits, Intel SDM vol. 3A §3.4.5 (figure 3-8). */
#define GDT_ACCESS_PRESENT (1ull << 47)
#define GDT_ACCESS_NONSYS (1ull << 44)   /* S: code or data segment */
#define GDT_ACCESS_EXEC (1ull << 43)
#define GDT_ACCESS_RW (1ull << 41)       /* readable code / writable data */
#define GDT_FLAG_LONG (1ull << 53)       /* L: 64-bit code segment */
#define GDT_FLAG_DB (1ull << 54)         /* D/B: must be 0 when L is 1 */
#define GDT_FLAG_GRAN (1ull << 55)
#define GDT_LIMIT_MAX 0x000f00000000ffffull

#define GDT_KCODE (GDT_ACCESS_PRESENT | GDT_ACCESS_NONSYS | GDT_ACCESS_EXEC | \
                   GDT_ACCESS_RW | GDT_FLAG_LONG | GDT_FLAG_GRAN | GDT_LIMIT_MAX)
#define GDT_KDATA (GDT_ACCESS_PRESENT | GDT_ACCESS_NONSYS | GDT_ACCESS_RW | \
                   GDT_FLAG_DB | GDT_FLAG_GRAN | GDT_LIMIT_MAX)

struct gdt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* Written at boot, read-only after. */
static const uint64_t gdt_table[] = {
    0,                              /* the null descriptor */
    [X86_SEL_KCODE / 8] = GDT_KCODE,
    [X86_SEL_KDATA / 8] = GDT_KDATA,
};

void x86_gdt_init(void)
{
    struct gdt_pointer ptr = {
        .limit = sizeof(gdt_table) - 1,
        .base = (uint64_t)gdt_table,
    };

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
                     :
                     : "m"(ptr), "i"(X86_SEL_KCODE), "i"(X86_SEL_KDATA)
                     : "rax", "memory");
}
