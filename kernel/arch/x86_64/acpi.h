/* kernel/arch/x86_64/acpi.h: what the kernel takes from ACPI: the MADT's
 * local APIC address, IO-APICs and ISA interrupt overrides, the MCFG's PCI
 * ECAM window (for pcid, through sys:pci), and whether the FADT says the
 * machine has an 8042 keyboard controller. */
#ifndef ANVIL_ARCH_X86_64_ACPI_H
#define ANVIL_ARCH_X86_64_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_ISA_IRQS 16

struct acpi_irq_route {
    uint32_t gsi;
    bool active_low;
    bool level;
};

struct acpi_madt_info {
    bool found;
    uint64_t lapic_phys;
    uint64_t ioapic_phys;     /* the first IO-APIC */
    uint32_t ioapic_gsi_base;
    unsigned cpus;
    bool pcat_compat;         /* the flag PCAT_COMPAT: there are 8259s to mask */
    struct acpi_irq_route isa[ACPI_ISA_IRQS];   /* identity unless overridden */
};

/* The first checked table with signature sig ("APIC", "FACP", "HPET") reached
 * from a copy of the RSDP (rsdp_len 0: none), or NULL. */
const uint8_t *acpi_find_table(const uint8_t *rsdp, size_t rsdp_len, const char *sig);

/* Parse the MADT reached from a copy of the RSDP (rsdp_len 0: none); on
 * failure info holds the PC defaults and found is false. */
void acpi_read_madt(const uint8_t *rsdp, size_t rsdp_len, struct acpi_madt_info *info);

/* The first MCFG allocation; ecam_phys 0: none (a PC without PCIe). */
struct acpi_mcfg_info {
    uint64_t ecam_phys;
    uint16_t segment;
    uint8_t bus_start, bus_end;
};

/* Written at boot by acpi_read_mcfg, read-only after. */
extern struct acpi_mcfg_info acpi_mcfg;

/* Fill acpi_mcfg from the MCFG reached from a copy of the RSDP (left zero without one). */
void acpi_read_mcfg(const uint8_t *rsdp, size_t rsdp_len);

/* The FADT's IAPC_BOOT_ARCH "8042" flag: unknown without a FADT of
 * revision 2 or later. */
enum acpi_i8042 { ACPI_I8042_UNKNOWN, ACPI_I8042_PRESENT, ACPI_I8042_ABSENT };
enum acpi_i8042 acpi_read_i8042(const uint8_t *rsdp, size_t rsdp_len);

#endif
