/* kernel/proc/elf.h: loading static and static-PIE ELF64 x86_64
 * executables into an address space. */
#ifndef ANVIL_PROC_ELF_H
#define ANVIL_PROC_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "mm/vm.h"

struct elf_image {
    uintptr_t entry;
    uintptr_t phdr;         /* the program headers' address in the image */
    size_t phnum, phent;
    uintptr_t base;         /* load bias (0 for ET_EXEC) */
    uintptr_t end;          /* end of the highest segment: brk starts here */
};

/* Check and map the ELF file [data, data + size) into vs (not active).
 * 0, -ENOEXEC (not an x86_64 executable we run), -ENOMEM. */
int elf_load(struct vm_space *vs, const uint8_t *data, size_t size, struct elf_image *img);

#endif
