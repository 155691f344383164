/* kernel/arch/x86_64/acpi.c: finding the MADT (ACPI 6.5 §5.2.12) and the
 * MCFG (PCI Firmware 3.2 §4.1.2) and the FADT (§5.2.9) through the RSDT or
 * XSDT (§5.2.7, §5.2.8). Tables are read through the direct map and checked
 * (signature, length, checksum) before use. */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/paging.h"
#include "lib/string.h"
#include "lib/unaligned.h"

#define RSDP_RSDT_OFFSET 16
#define RSDP_XSDT_OFFSET 24
#define RSDP_REVISION_OFFSET 15
#define SDT_HEADER_SIZE 36
#define SDT_MAX_LENGTH 0x100000
#define MADT_LAPIC_ADDR_OFFSET 36
#define MADT_FLAGS_OFFSET 40
#define MADT_PCAT_COMPAT 1u          /* dual 8259s present (§5.2.12 table 5.20) */
#define MADT_ENTRIES_OFFSET 44
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_ISO 2
#define MADT_LAPIC_ADDR_OVERRIDE 5
#define ISO_POLARITY_MASK 3
#define ISO_POLARITY_LOW 3
#define ISO_TRIGGER_SHIFT 2
#define ISO_TRIGGER_LEVEL 3
#define LAPIC_ENABLED 1
#define FADT_REVISION_OFFSET 8       /* the header's revision: the FADT's major version */
#define FADT_BOOT_ARCH_OFFSET 109    /* IAPC_BOOT_ARCH, ACPI 2.0 and later (§5.2.9.3) */
#define FADT_BOOT_ARCH_MIN_REVISION 2
#define BOOT_ARCH_8042 (1u << 1)
#define PC_LAPIC_PHYS 0xfee00000ull
#define PC_IOAPIC_PHYS 0xfec00000ull
#define MCFG_ENTRIES_OFFSET 44      /* after the header and 8 reserved bytes */
#define MCFG_ENTRY_SIZE 16
#define MCFG_SEGMENT 8
#define MCFG_BUS_START 10
#define MCFG_BUS_END 11

struct acpi_mcfg_info acpi_mcfg;

/* The table at phys if it is mapped, fully readable and sums to zero. */
static const uint8_t *sdt(uint64_t phys)
{
    const uint8_t *t;
    uint32_t len;
    uint8_t sum = 0;

    if (!phys || !x86_direct_map_covers(phys, SDT_HEADER_SIZE))
        return NULL;
    t = x86_phys_to_virt(phys);
    len = get_le32(t + 4);
    if (len < SDT_HEADER_SIZE || len > SDT_MAX_LENGTH || !x86_direct_map_covers(phys, len))
        return NULL;
    for (uint32_t i = 0; i < len; i++)
        sum += t[i];
    return sum == 0 ? t : NULL;
}

const uint8_t *acpi_find_table(const uint8_t *rsdp, size_t rsdp_len, const char *sig)
{
    bool xsdt = rsdp_len >= RSDP_XSDT_OFFSET + 8 && rsdp[RSDP_REVISION_OFFSET] >= 2 &&
                get_le64(rsdp + RSDP_XSDT_OFFSET);
    const uint8_t *root;
    size_t width = xsdt ? 8 : 4;

    if (rsdp_len < RSDP_RSDT_OFFSET + 4)
        return NULL;
    root = xsdt ? sdt(get_le64(rsdp + RSDP_XSDT_OFFSET)) : sdt(get_le32(rsdp + RSDP_RSDT_OFFSET));
    if (!root)
        return NULL;
    for (uint32_t off = SDT_HEADER_SIZE; off + width <= get_le32(root + 4); off += width) {
        uint64_t p = xsdt ? get_le64(root + off) : get_le32(root + off);
        const uint8_t *t = sdt(p);
        if (t && memcmp(t, sig, 4) == 0)
            return t;
    }
    return NULL;
}

static void defaults(struct acpi_madt_info *info)
{
    memset(info, 0, sizeof(*info));
    info->lapic_phys = PC_LAPIC_PHYS;
    info->ioapic_phys = PC_IOAPIC_PHYS;
    info->cpus = 1;
    info->pcat_compat = true;   /* without a MADT, assume a PC's 8259s */
    for (unsigned i = 0; i < ACPI_ISA_IRQS; i++)
        info->isa[i].gsi = i;
}

static void entry(const uint8_t *e, struct acpi_madt_info *info, bool *have_ioapic)
{
    switch (e[0]) {
    case MADT_LAPIC:
        if (get_le32(e + 4) & LAPIC_ENABLED)
            info->cpus++;
        break;
    case MADT_IOAPIC:
        if (!*have_ioapic) {
            info->ioapic_phys = get_le32(e + 4);
            info->ioapic_gsi_base = get_le32(e + 8);
            *have_ioapic = true;
        }
        break;
    case MADT_ISO:
        if (e[3] < ACPI_ISA_IRQS) {
            uint16_t flags = get_le16(e + 8);
            struct acpi_irq_route *r = &info->isa[e[3]];
            r->gsi = get_le32(e + 4);
            r->active_low = (flags & ISO_POLARITY_MASK) == ISO_POLARITY_LOW;
            r->level = ((flags >> ISO_TRIGGER_SHIFT) & 3) == ISO_TRIGGER_LEVEL;
        }
        break;
    case MADT_LAPIC_ADDR_OVERRIDE:
        info->lapic_phys = get_le64(e + 4);
        break;
    }
}

void acpi_read_madt(const uint8_t *rsdp, size_t rsdp_len, struct acpi_madt_info *info)
{
    const uint8_t *madt;
    bool have_ioapic = false;
    uint32_t len;

    defaults(info);
    madt = acpi_find_table(rsdp, rsdp_len, "APIC");
    if (!madt || get_le32(madt + 4) < MADT_ENTRIES_OFFSET)
        return;
    info->found = true;
    info->cpus = 0;
    info->lapic_phys = get_le32(madt + MADT_LAPIC_ADDR_OFFSET);
    info->pcat_compat = get_le32(madt + MADT_FLAGS_OFFSET) & MADT_PCAT_COMPAT;
    len = get_le32(madt + 4);
    for (uint32_t off = MADT_ENTRIES_OFFSET; off + 2 <= len;) {
        const uint8_t *e = madt + off;
        if (e[1] < 2 || off + e[1] > len)
            break;
        entry(e, info, &have_ioapic);
        off += e[1];
    }
    if (info->cpus == 0)
        info->cpus = 1;
}

void acpi_read_mcfg(const uint8_t *rsdp, size_t rsdp_len)
{
    const uint8_t *t = acpi_find_table(rsdp, rsdp_len, "MCFG");
    const uint8_t *e;

    if (!t || get_le32(t + 4) < MCFG_ENTRIES_OFFSET + MCFG_ENTRY_SIZE)
        return;
    e = t + MCFG_ENTRIES_OFFSET;   /* the first allocation: segment 0 on a PC */
    if (e[MCFG_BUS_END] < e[MCFG_BUS_START] || get_le64(e) & 0xfffff)
        return;   /* a base must be 1 MiB aligned (a bus's worth) */
    acpi_mcfg.ecam_phys = get_le64(e);
    acpi_mcfg.segment = get_le16(e + MCFG_SEGMENT);
    acpi_mcfg.bus_start = e[MCFG_BUS_START];
    acpi_mcfg.bus_end = e[MCFG_BUS_END];
}

/* ACPI 1.0 FADTs have no IAPC_BOOT_ARCH (the byte is reserved), so only a
 * newer table can say the 8042 is missing. */
enum acpi_i8042 acpi_read_i8042(const uint8_t *rsdp, size_t rsdp_len)
{
    const uint8_t *fadt;
    uint16_t boot_arch;

    if (!(fadt = acpi_find_table(rsdp, rsdp_len, "FACP")))
        return ACPI_I8042_UNKNOWN;
    if (fadt[FADT_REVISION_OFFSET] < FADT_BOOT_ARCH_MIN_REVISION ||
        get_le32(fadt + 4) < FADT_BOOT_ARCH_OFFSET + 2)
        return ACPI_I8042_UNKNOWN;
    boot_arch = get_le16(fadt + FADT_BOOT_ARCH_OFFSET);
    return boot_arch & BOOT_ARCH_8042 ? ACPI_I8042_PRESENT : ACPI_I8042_ABSENT;
}
