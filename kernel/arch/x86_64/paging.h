/* kernel/arch/x86_64/paging.h: the direct map of physical memory, set up by
 * the boot code for the first 4 GiB and extendable for MMIO above it. */
#ifndef ANVIL_ARCH_X86_64_PAGING_H
#define ANVIL_ARCH_X86_64_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/layout.h"

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

/* True if [phys, phys + len) is already reachable through the direct map. */
bool x86_direct_map_covers(uint64_t phys, uint64_t len);

/* Map [phys, phys + len) into the direct map with 2 MiB pages.
 * Returns 0, or -ENOMEM when the early page-table pool runs out. */
int x86_direct_map_extend(uint64_t phys, uint64_t len);

#endif
