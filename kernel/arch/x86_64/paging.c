/* kernel/arch/x86_64/paging.c: growing the boot-time direct map. The boot
 * code maps the first 4 GiB; a framebuffer or other MMIO above that is mapped
 * here with 2 MiB pages from a small static pool of page tables, until a
 * physical page allocator exists. The boot code shares one PDPT between the
 * identity map and the direct map, so a page added below 512 GiB also shows
 * up at its identity address; harmless, and gone once the identity map is. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "lib/errno.h"
#include "lib/string.h"

/* Page-table entry bits, Intel SDM vol. 3A §4.5 (tables 4-14 .. 4-18). */
#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_LARGE (1ull << 7)     /* PS: a 2 MiB page in a PD entry */
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define PT_ENTRIES 512

#define POOL_TABLES 8

/* Written at boot, read-only after (no locking: single CPU, before SMP). */
static uint64_t pool[POOL_TABLES][PT_ENTRIES] __attribute__((aligned(X86_PAGE_SIZE)));
static unsigned pool_used;
static uint64_t mapped_end = X86_BOOT_MAP_SIZE;   /* contiguous prefix */

bool x86_direct_map_covers(uint64_t phys, uint64_t len)
{
    return phys < mapped_end && len <= mapped_end - phys;
}

/* The table an entry points to, allocated and linked in if absent. */
static uint64_t *next_table(uint64_t *entry)
{
    uint64_t *table;

    if (*entry & PTE_PRESENT)
        return x86_phys_to_virt(*entry & PTE_ADDR_MASK);
    if (pool_used == POOL_TABLES)
        return NULL;
    table = pool[pool_used++];
    memset(table, 0, X86_PAGE_SIZE);
    *entry = x86_kernel_virt_to_phys(table) | PTE_PRESENT | PTE_WRITE;
    return table;
}

static int map_large_page(uint64_t phys)
{
    uint64_t virt = X86_DIRECT_MAP_BASE + phys;
    uint64_t *pml4 = x86_phys_to_virt(x86_read_cr3() & PTE_ADDR_MASK);
    uint64_t *pdpt = next_table(&pml4[(virt >> 39) & 511]);
    uint64_t *pd = pdpt ? next_table(&pdpt[(virt >> 30) & 511]) : NULL;

    if (!pd)
        return -ENOMEM;
    if (pd[(virt >> 21) & 511] & PTE_PRESENT)
        return 0;
    pd[(virt >> 21) & 511] = phys | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
    return 0;
}

int x86_direct_map_extend(uint64_t phys, uint64_t len)
{
    uint64_t start = phys & ~(uint64_t)(X86_LARGE_PAGE_SIZE - 1);
    uint64_t end = phys + len;

    for (uint64_t p = start; p < end; p += X86_LARGE_PAGE_SIZE) {
        if (x86_direct_map_covers(p, X86_LARGE_PAGE_SIZE))
            continue;
        int err = map_large_page(p);
        if (err)
            return err;
    }
    /* New entries only: nothing stale can be cached, no TLB flush needed. */
    return 0;
}
