/* kernel/mm/vm_resident.h: how much of an address space is in memory, for
 * ps and /proc (resident set size). */
#ifndef ANVIL_MM_VM_RESIDENT_H
#define ANVIL_MM_VM_RESIDENT_H

#include <stddef.h>

#include "mm/vm.h"

/* Pages of vs's areas that have a frame now (shared ones counted in every
 * space that maps them, as Linux does); device memory (VM_PHYS) is not. */
size_t vm_resident_pages(struct vm_space *vs);

#endif
