/* kernel/boot/pvh.h: reading the PVH start info (QEMU -kernel, Xen). */
#ifndef ANVIL_BOOT_PVH_H
#define ANVIL_BOOT_PVH_H

#include <stdint.h>

#include "boot/boot_info.h"

/* Fill *bi from the hvm_start_info at info_phys; panics if its magic is wrong. */
void pvh_parse(struct boot_info *bi, uint64_t info_phys);

#endif
