/* kernel/mm/kmem_guard.c: the kernel heap in checking mode (feature
 * kmem-guard), in the spirit of Electric Fence and KFENCE. Every block gets
 * its own pages in a region of kernel address space that is never reused,
 * ends flush against an unmapped guard page, and is unmapped when freed. A
 * read or write after kfree, a double kfree, or an overrun past the end is
 * then a kernel page fault that names the address, instead of silent
 * corruption that shows up later or never. Frames go back to the allocator
 * at once; only address space (512 GiB of it) and page tables are spent,
 * so this is for test images, not for speed. */
#ifdef ANVIL_FEATURE_KMEM_GUARD

#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "lib/kassert.h"
#include "lib/kprintf.h"
#include "mm/kmap.h"
#include "mm/kmem.h"
#include "mm/kmem_guard.h"
#include "mm/pmm.h"

/* PML4 slot 510: between the direct map (slot 256 up) and the kernel image
 * (slot 511). kmap_init creates every kernel-half slot, so all address
 * spaces see mappings made here later. */
#define GUARD_BASE 0xffffff0000000000ull
#define GUARD_END 0xffffff8000000000ull
#define GUARD_MAGIC 0x67617264u   /* "gard" */
#define ALIGN 16

/* What sits just before the block: enough to unmap it again. */
struct guard_header {
    uint32_t magic;
    uint32_t pages;      /* mapped pages, not counting the guard page */
    uint64_t first;      /* virtual address of the first mapped page */
};
_Static_assert(sizeof(struct guard_header) == ALIGN, "kmem_guard: header keeps alignment");

/* Next unused address; only ever grows (single CPU, interrupts off). */
static uint64_t next_va = GUARD_BASE;
static bool exhausted_said;

bool kmem_guard_owns(const void *p)
{
    return (uint64_t)p >= GUARD_BASE && (uint64_t)p < GUARD_END;
}

static uint64_t *pte_of(uint64_t va, bool create)
{
    return x86_pt_entry((uint64_t *)kmap_pml4(), va, 1, create ? kmap_table_alloc : NULL,
                        X86_PTE_WRITE);
}

/* The page table holding va's entry goes back once it maps nothing: the
 * region is never reused, so without this every block ever made would
 * keep a slice of a table. */
static void drop_table_if_empty(uint64_t va)
{
    uint64_t *pde = x86_pt_entry((uint64_t *)kmap_pml4(), va, 2, NULL, 0);
    const uint64_t *table;

    if (!pde || !(*pde & X86_PTE_PRESENT) || (*pde & X86_PTE_LARGE))
        return;
    table = x86_phys_to_virt(*pde & X86_PTE_ADDR_MASK);
    for (int i = 0; i < X86_PT_ENTRIES; i++)
        if (table[i])
            return;
    pmm_free_pages(*pde & X86_PTE_ADDR_MASK, 1);
    *pde = 0;
}

static void unmap_pages(uint64_t va, uint32_t pages)
{
    for (uint32_t i = 0; i < pages; i++, va += X86_PAGE_SIZE) {
        uint64_t *pte = pte_of(va, false);
        if (!pte || !(*pte & X86_PTE_PRESENT))
            continue;
        uint64_t phys = *pte & X86_PTE_ADDR_MASK;
        *pte = 0;
        x86_invlpg(va);
        pmm_free_pages(phys, 1);
        /* Once per table: at its last entry, and at the block's end. */
        if (i + 1 == pages || ((va + X86_PAGE_SIZE) & (X86_LARGE_PAGE_SIZE - 1)) == 0)
            drop_table_if_empty(va);
    }
}

static bool map_pages(uint64_t va, uint32_t pages)
{
    for (uint32_t i = 0; i < pages; i++) {
        uint64_t *pte = pte_of(va + (uint64_t)i * X86_PAGE_SIZE, true);
        uint64_t phys = pte ? pmm_alloc() : 0;
        if (!phys) {
            unmap_pages(va, i);
            return false;
        }
        *pte = phys | X86_PTE_PRESENT | X86_PTE_WRITE | X86_PTE_GLOBAL | kmap_nx();
    }
    return true;
}

void *kmem_guard_alloc(size_t size)
{
    size_t total = (size + sizeof(struct guard_header) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    uint32_t pages = (uint32_t)((total + X86_PAGE_SIZE - 1) / X86_PAGE_SIZE);
    uint64_t span = ((uint64_t)pages + 1) * X86_PAGE_SIZE;   /* + the guard page */
    struct guard_header *h;

    if (size > ((size_t)1 << 32))
        return NULL;
    if (GUARD_END - next_va < span) {
        if (!exhausted_said)
            kprintf("kmem: guard region used up, blocks now come from the plain heap\n");
        exhausted_said = true;
        return NULL;
    }
    if (!map_pages(next_va, pages))
        return NULL;
    /* The block ends where the guard page starts (rounded to ALIGN). */
    h = (struct guard_header *)(next_va + (uint64_t)pages * X86_PAGE_SIZE - total);
    *h = (struct guard_header){GUARD_MAGIC, pages, next_va};
    next_va += span;
    return h + 1;
}

void kmem_guard_free(void *p)
{
    struct guard_header *h = (struct guard_header *)p - 1;

    kassert(h->magic == GUARD_MAGIC && h->first >= GUARD_BASE && h->first < (uint64_t)p);
    unmap_pages(h->first, h->pages);
}

#endif /* ANVIL_FEATURE_KMEM_GUARD */
