/* kernel/arch/x86_64/paging.h: 4-level page tables: entry bits, a walker,
 * and the direct map of physical memory (boot maps the first 4 GiB; mm/vm.c
 * rebuilds it over all RAM; MMIO above it is added on demand). */
#ifndef ANVIL_ARCH_X86_64_PAGING_H
#define ANVIL_ARCH_X86_64_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/layout.h"

/* Page-table entry bits, Intel SDM vol. 3A §4.5 (tables 4-14 .. 4-20). */
#define X86_PTE_PRESENT (1ull << 0)
#define X86_PTE_WRITE (1ull << 1)
#define X86_PTE_USER (1ull << 2)
#define X86_PTE_PWT (1ull << 3)
#define X86_PTE_PCD (1ull << 4)
#define X86_PTE_LARGE (1ull << 7)     /* PS: 2 MiB page in a PD entry */
#define X86_PTE_GLOBAL (1ull << 8)
#define X86_PTE_NX (1ull << 63)
#define X86_PTE_ADDR_MASK 0x000ffffffffff000ull
#define X86_PT_ENTRIES 512
#define X86_PML4_KERNEL_FIRST 256     /* entries 256..511: the shared kernel half */

/* Returns the physical address of a zeroed page for a new table, or 0. */
typedef uint64_t (*x86_table_alloc_fn)(void);

/* Where physical address phys is visible in the kernel's address space. */
static inline void *x86_phys_to_virt(uint64_t phys)
{
    return (void *)(X86_DIRECT_MAP_BASE + phys);
}

/* Physical address of a kernel-image (linked) virtual address. */
static inline uint64_t x86_kernel_virt_to_phys(const void *virt)
{
    return (uint64_t)virt - X86_KERNEL_VMA;
}

/* The entry for va at level 1 (PT, 4 KiB) or 2 (PD, 2 MiB) under pml4. With
 * alloc, missing tables are created with table_flags; NULL if absent (or
 * out of memory, or a large page is in the way). */
uint64_t *x86_pt_entry(uint64_t *pml4, uint64_t va, int level, x86_table_alloc_fn alloc,
                       uint64_t table_flags);

/* True if [phys, phys + len) is already reachable through the direct map. */
bool x86_direct_map_covers(uint64_t phys, uint64_t len);

/* Map [phys, phys + len) into the direct map with 2 MiB pages.
 * Returns 0, or -ENOMEM when no page table can be had. */
int x86_direct_map_extend(uint64_t phys, uint64_t len);

/* Once the frame allocator runs: its allocator for new tables, and the end
 * of the contiguous direct map mm/vm.c built. */
void x86_direct_map_set_allocator(x86_table_alloc_fn alloc, uint64_t mapped_end);

#endif
