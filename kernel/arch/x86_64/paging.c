/* kernel/arch/x86_64/paging.c: walking 4-level page tables and growing the
 * direct map. Before the frame allocator exists, new tables come from a
 * small static pool (enough for a framebuffer above 4 GiB). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "lib/errno.h"
#include "lib/string.h"

#define POOL_TABLES 8
#define LEVEL_SHIFT(l) (12 + 9 * ((l) - 1))

/* Written at boot, read-only after (single CPU). */
static uint64_t pool[POOL_TABLES][X86_PT_ENTRIES] __attribute__((aligned(X86_PAGE_SIZE)));
static unsigned pool_used;
static uint64_t mapped_end = X86_BOOT_MAP_SIZE;   /* contiguous prefix */
static x86_table_alloc_fn table_alloc;

static uint64_t pool_alloc(void)
{
    uint64_t *t;

    if (pool_used == POOL_TABLES)
        return 0;
    t = pool[pool_used++];
    memset(t, 0, X86_PAGE_SIZE);
    return x86_kernel_virt_to_phys(t);
}

uint64_t *x86_pt_entry(uint64_t *pml4, uint64_t va, int level, x86_table_alloc_fn alloc,
                       uint64_t table_flags)
{
    uint64_t *table = pml4;

    for (int l = 4; l > level; l--) {
        uint64_t *e = &table[(va >> LEVEL_SHIFT(l)) & 511];

        if (!(*e & X86_PTE_PRESENT)) {
            uint64_t phys = alloc ? alloc() : 0;
            if (!phys)
                return NULL;
            *e = phys | table_flags | X86_PTE_PRESENT;
        } else if (*e & X86_PTE_LARGE) {
            return NULL;
        }
        table = x86_phys_to_virt(*e & X86_PTE_ADDR_MASK);
    }
    return &table[(va >> LEVEL_SHIFT(level)) & 511];
}

bool x86_direct_map_covers(uint64_t phys, uint64_t len)
{
    return phys < mapped_end && len <= mapped_end - phys;
}

void x86_direct_map_set_allocator(x86_table_alloc_fn alloc, uint64_t end)
{
    table_alloc = alloc;
    mapped_end = end;
}

static int map_large_page(uint64_t phys)
{
    uint64_t virt = X86_DIRECT_MAP_BASE + phys;
    uint64_t *pml4 = x86_phys_to_virt(x86_read_cr3() & X86_PTE_ADDR_MASK);
    uint64_t *pd = x86_pt_entry(pml4, virt, 2, table_alloc ? table_alloc : pool_alloc,
                                X86_PTE_WRITE);

    if (!pd)
        return -ENOMEM;
    if (!(*pd & X86_PTE_PRESENT))
        *pd = phys | X86_PTE_PRESENT | X86_PTE_WRITE | X86_PTE_LARGE |
              (x86_cpu_has_nx() ? X86_PTE_NX : 0);
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
