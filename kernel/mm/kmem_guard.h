/* kernel/mm/kmem_guard.h: the checking heap behind kmalloc when the kernel
 * is built with feature kmem-guard: each block on its own pages before an
 * unmapped guard page, unmapped for good when freed (use after free,
 * double free and overruns fault at once). */
#ifndef ANVIL_MM_KMEM_GUARD_H
#define ANVIL_MM_KMEM_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* A block, or NULL when out of memory or out of guard space (the caller
 * then uses the plain heap). Only after kmap_init. */
void *kmem_guard_alloc(size_t size);

/* True if p lies in the guard region (it came from kmem_guard_alloc). */
bool kmem_guard_owns(const void *p);

void kmem_guard_free(void *p);

#endif
