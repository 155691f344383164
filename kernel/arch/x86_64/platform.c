/* kernel/arch/x86_64/platform.c: facts about the machine that user-mode
 * drivers ask the kernel for (sys:platform), because only the kernel reads
 * the firmware's tables. */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/platform.h"
#include "lib/kprintf.h"

/* Written at boot, read-only after. */
static enum acpi_i8042 i8042;

void x86_platform_init(const uint8_t *rsdp, size_t rsdp_len)
{
    i8042 = acpi_read_i8042(rsdp, rsdp_len);
    kprintf("platform: i8042 %s\n", x86_platform_i8042());
}

const char *x86_platform_i8042(void)
{
    static const char *const names[] = {
        [ACPI_I8042_UNKNOWN] = "unknown", [ACPI_I8042_PRESENT] = "yes", [ACPI_I8042_ABSENT] = "no",
    };
    return names[i8042];
}
