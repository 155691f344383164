/* kernel/arch/x86_64/acpi_timers.c: the PM timer's I/O port from the FADT
 * (ACPI 6.5 §5.2.9: PM_TMR_BLK, or X_PM_TMR_BLK in system I/O space) and the
 * HPET's registers from the HPET table (IA-PC HPET 1.0a §3.2.4). */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/acpi_timers.h"
#include "lib/unaligned.h"

#define SDT_LENGTH 4
#define FADT_PM_TMR_BLK 76
#define FADT_PM_TMR_LEN 91
#define FADT_FLAGS 112
#define FADT_TMR_VAL_EXT (1u << 8)
#define FADT_X_PM_TMR_BLK 208         /* a 12-byte generic address (§5.2.3.2) */
#define PM_TMR_LEN 4
#define GAS_SIZE 12
#define GAS_SPACE 0
#define GAS_ADDRESS 4
#define GAS_SYSTEM_MEMORY 0
#define GAS_SYSTEM_IO 1
#define HPET_ADDRESS 40               /* the event timer block's generic address */
#define PORT_MAX 0xffffu

/* The X_ field wins when the FADT is long enough and it names an I/O port. */
static uint64_t pm_timer_port(const uint8_t *fadt, uint32_t len)
{
    const uint8_t *gas = fadt + FADT_X_PM_TMR_BLK;

    if (len >= FADT_X_PM_TMR_BLK + GAS_SIZE && gas[GAS_SPACE] == GAS_SYSTEM_IO &&
        get_le64(gas + GAS_ADDRESS))
        return get_le64(gas + GAS_ADDRESS);
    return fadt[FADT_PM_TMR_LEN] == PM_TMR_LEN ? get_le32(fadt + FADT_PM_TMR_BLK) : 0;
}

struct acpi_pm_timer acpi_read_pm_timer(const uint8_t *rsdp, size_t rsdp_len)
{
    struct acpi_pm_timer t = {0};
    const uint8_t *fadt = acpi_find_table(rsdp, rsdp_len, "FACP");
    uint32_t len;
    uint64_t port;

    if (!fadt || (len = get_le32(fadt + SDT_LENGTH)) < FADT_FLAGS + 4)
        return t;
    port = pm_timer_port(fadt, len);
    if (port == 0 || port > PORT_MAX - 3)
        return t;
    t.port = (uint16_t)port;
    t.wide = get_le32(fadt + FADT_FLAGS) & FADT_TMR_VAL_EXT;
    return t;
}

uint64_t acpi_read_hpet(const uint8_t *rsdp, size_t rsdp_len)
{
    const uint8_t *t = acpi_find_table(rsdp, rsdp_len, "HPET");
    const uint8_t *gas;

    if (!t || get_le32(t + SDT_LENGTH) < HPET_ADDRESS + GAS_SIZE)
        return 0;
    gas = t + HPET_ADDRESS;
    if (gas[GAS_SPACE] != GAS_SYSTEM_MEMORY)
        return 0;
    return get_le64(gas + GAS_ADDRESS);
}
