/* kernel/mm/pmm.h: the physical frame allocator. Frames are 4 KiB; each has
 * a reference count so copy-on-write pages can be shared. Running out of
 * frames is an ordinary error (0 returned), never a panic. */
#ifndef ANVIL_MM_PMM_H
#define ANVIL_MM_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

#define PMM_PAGE_SIZE 4096ul

/* Take every usable frame from the boot memory map except the first MiB,
 * the kernel image and the boot modules. */
void pmm_init(const struct boot_info *bi);

/* n physically contiguous frames with reference count 1, or 0 if none. */
uint64_t pmm_alloc_pages(size_t n);
/* One frame, or one frame filled with zeros; 0 when memory is exhausted. */
uint64_t pmm_alloc(void);
uint64_t pmm_alloc_zero(void);
/* The same for a user page (or a user page table): refused while only the
 * reserve is left, unless the reserve hook says the running process may
 * use it (PID 1). The kernel's own allocations may always use it. */
uint64_t pmm_alloc_user(void);
uint64_t pmm_alloc_user_zero(void);
/* Keep frames back for the kernel and whoever may_use (called with no
 * arguments on each refusal; mm cannot know processes) says yes. */
void pmm_set_reserve(size_t frames, bool (*may_use)(void));
size_t pmm_reserve_count(void);
/* Give back n contiguous frames from pmm_alloc_pages (reference count 1). */
void pmm_free_pages(uint64_t phys, size_t n);

/* Reference counting for shared frames: unref frees at zero. pmm_ref is
 * -ENOMEM when the count is full (65535 sharers), else 0. */
int pmm_ref(uint64_t phys);
void pmm_unref(uint64_t phys);
unsigned pmm_refcount(uint64_t phys);

/* Frames free now, frames managed in all, and the end of usable memory. */
size_t pmm_free_count(void);
size_t pmm_total_count(void);
uint64_t pmm_memory_end(void);

#endif
