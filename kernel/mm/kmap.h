/* kernel/mm/kmap.h: the kernel's own page tables: the direct map of all
 * physical memory and the kernel image with per-section rights (text
 * read-execute, rodata read-only, data no-execute). Every address space
 * shares this kernel half. */
#ifndef ANVIL_MM_KMAP_H
#define ANVIL_MM_KMAP_H

#include <stdint.h>

#include "boot/boot_info.h"

/* Build the kernel tables and switch to them (after pmm_init). The
 * framebuffer is mapped again if it lies past the direct map. */
void kmap_init(const struct boot_info *bi);

/* The kernel PML4 (physical) and its virtual address, for new spaces. */
uint64_t kmap_pml4_phys(void);
const uint64_t *kmap_pml4(void);

/* The NX bit when the CPU has it, else 0. */
uint64_t kmap_nx(void);

/* A zeroed frame for a page table (x86_table_alloc_fn), 0 when out of memory. */
uint64_t kmap_table_alloc(void);

#endif
