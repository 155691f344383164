/* kernel/proc/vm_copy.h: copying into an address space that is not the
 * active one (exec builds the new image before switching to it). */
#ifndef ANVIL_PROC_VM_COPY_H
#define ANVIL_PROC_VM_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "mm/vm.h"

/* 0, or -EFAULT / -ENOMEM. */
int vm_copy_out(struct vm_space *vs, uintptr_t dst, const void *src, size_t n);

#endif
