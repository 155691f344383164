/* kernel/arch/x86_64/qemu.h: detecting QEMU and leaving it with a status
 * through its isa-debug-exit device. */
#ifndef ANVIL_ARCH_X86_64_QEMU_H
#define ANVIL_ARCH_X86_64_QEMU_H

#include <stdbool.h>
#include <stdint.h>

/* True under QEMU's TCG or KVM (by the CPUID hypervisor signature). */
bool x86_qemu_detect(void);

/* Write value to isa-debug-exit when under QEMU. Returns only if QEMU is not
 * there or has no such device. */
void x86_qemu_exit(uint32_t value);

#endif
