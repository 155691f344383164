/* kernel/mm/vm.h: user address spaces. A space is a PML4 whose upper half
 * is the kernel's, plus a sorted list of areas (ranges with PROT_* rights).
 * Pages appear lazily on first touch (demand zero) and are shared
 * copy-on-write after vm_space_fork. */
#ifndef ANVIL_MM_VM_H
#define ANVIL_MM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VM_PAGE_SIZE 4096ul
#define VM_USER_BASE 0x10000ull               /* like Linux's mmap_min_addr */
#define VM_USER_END 0x00007ffffffff000ull     /* one guard page below the hole */
#define VM_MMAP_TOP 0x00007f0000000000ull     /* mmap without a hint grows down from here */

/* Rights, numerically the same as Linux's PROT_*. */
#define VM_READ 1u
#define VM_WRITE 2u
#define VM_EXEC 4u
/* Not a right: the area's pages are shared with fork children (MAP_SHARED). */
#define VM_SHARED 8u
/* Not a right: the area maps physical addresses (memory: scheme), uncached,
 * present from the start; its frames are not the kernel's to count or free,
 * fork children share them, and kernel copies to or from it fail (EFAULT). */
#define VM_PHYS 16u

struct vm_area {
    uintptr_t start, end;       /* page aligned, end exclusive */
    unsigned prot;
    struct vm_area *next;       /* sorted by start */
};

/* Shared by the threads of a process (and a vfork child until it execs);
 * the kernel runs single-CPU with interrupts off, so no lock. */
struct vm_space {
    uint64_t pml4_phys;
    struct vm_area *areas;
    uintptr_t brk_base, brk;    /* the heap: [brk_base, brk) */
    unsigned refs;
};

struct vm_space *vm_space_create(void);
/* A copy-on-write copy of vs; NULL when out of memory. */
struct vm_space *vm_space_fork(struct vm_space *vs);
void vm_space_get(struct vm_space *vs);
/* Drop a reference; the last one frees every page and table. */
void vm_space_put(struct vm_space *vs);

/* Load vs's page tables (NULL: the kernel's alone). */
void vm_activate(struct vm_space *vs);
struct vm_space *vm_current(void);

/* Make [start, start + len) an area with prot, replacing what was there;
 * its pages start out zero. 0, -EINVAL (range), -ENOMEM. */
int vm_map(struct vm_space *vs, uintptr_t start, size_t len, unsigned prot);
int vm_unmap(struct vm_space *vs, uintptr_t start, size_t len);
/* Map physical [phys, phys + len) at start with prot, uncached (VM_PHYS):
 * 0, -EINVAL, -ENOMEM. */
int vm_map_phys(struct vm_space *vs, uintptr_t start, size_t len, unsigned prot, uint64_t phys);
/* Map the given frames (one per page, 0: a page left to demand zero) at
 * start as a MAP_SHARED area: each mapped frame gains a reference, so the
 * owner (scheme/shm.c) and every mapping share the very pages. 0, -EINVAL,
 * -ENOMEM. */
int vm_map_frames(struct vm_space *vs, uintptr_t start, size_t len, unsigned prot,
                  const uint64_t *frames);
/* -ENOMEM if part of the range is not mapped (as mprotect). */
int vm_protect(struct vm_space *vs, uintptr_t start, size_t len, unsigned prot);
/* A free range of len bytes below VM_MMAP_TOP, or 0. */
uintptr_t vm_find_free(struct vm_space *vs, size_t len);
/* True if no area overlaps [start, start + len). */
bool vm_range_free(struct vm_space *vs, uintptr_t start, size_t len);
/* True if addr lies in a MAP_SHARED (or device) area: its frames are the
 * object's own and never copied on write. */
bool vm_addr_shared(struct vm_space *vs, uintptr_t addr);
/* True if [start, start + len) lies entirely in areas. */
bool vm_range_mapped(struct vm_space *vs, uintptr_t start, size_t len);

/* Give every page of [start, start + len) a zeroed frame now (shared
 * mappings must exist before fork so both sides see the same frames). */
int vm_populate(struct vm_space *vs, uintptr_t start, size_t len);

/* Resolve a fault at addr (zero fill, copy-on-write). 0, or -EFAULT if
 * the access is not allowed there, or -ENOMEM. */
int vm_fault(struct vm_space *vs, uintptr_t addr, bool write, bool exec);

/* The kernel (direct-map) address of user byte addr, resolving faults as
 * a user access would; NULL if that access would fail. */
void *vm_user_byte(struct vm_space *vs, uintptr_t addr, bool write);

#endif
