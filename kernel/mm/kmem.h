/* kernel/mm/kmem.h: the kernel heap. Small blocks come from size classes
 * carved out of frames; large ones are runs of frames. NULL when memory is
 * exhausted: callers turn that into -ENOMEM. */
#ifndef ANVIL_MM_KMEM_H
#define ANVIL_MM_KMEM_H

#include <stddef.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif
