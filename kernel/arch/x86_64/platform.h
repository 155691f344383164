/* kernel/arch/x86_64/platform.h: machine facts for user-mode drivers. */
#ifndef ANVIL_ARCH_X86_64_PLATFORM_H
#define ANVIL_ARCH_X86_64_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Read what the ACPI tables reached from the RSDP copy say (rsdp_len 0: none). */
void x86_platform_init(const uint8_t *rsdp, size_t rsdp_len);
/* The FADT's 8042 flag: "yes", "no", or "unknown" (no FADT, or ACPI 1.0's). */
const char *x86_platform_i8042(void);

#endif
