/* kernel/arch/x86_64/acpi_timers.h: where ACPI says the machine's fixed-rate
 * counters are: the PM timer (FADT) and the HPET (its own table). */
#ifndef ANVIL_ARCH_X86_64_ACPI_TIMERS_H
#define ANVIL_ARCH_X86_64_ACPI_TIMERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acpi_pm_timer {
    uint16_t port;        /* 0: none */
    bool wide;            /* 32-bit counter (TMR_VAL_EXT), else 24-bit */
};

/* The FADT's PM timer, from a copy of the RSDP (rsdp_len 0: none). */
struct acpi_pm_timer acpi_read_pm_timer(const uint8_t *rsdp, size_t rsdp_len);

/* The first HPET block's physical address (0: none). */
uint64_t acpi_read_hpet(const uint8_t *rsdp, size_t rsdp_len);

#endif
