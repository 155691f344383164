/* kernel/boot/multiboot2.h: reading the multiboot2 boot information. */
#ifndef ANVIL_BOOT_MULTIBOOT2_H
#define ANVIL_BOOT_MULTIBOOT2_H

#include <stdint.h>

#include "boot/boot_info.h"

/* The value in EAX at entry, Multiboot2 spec §3.3 ("Machine state"). */
#define MB2_BOOTLOADER_MAGIC 0x36d76289

/* Fill *bi from the information structure at info_phys; panics if magic is
 * wrong or the structure is unreadable. */
void mb2_parse(struct boot_info *bi, uint32_t magic, uint64_t info_phys);

#endif
