/* kernel/boot/pvh.c: reading the PVH start info. Layout from Xen's
 * xen/include/public/arch-x86/hvm/start_info.h (also docs/misc/pvh.pandoc):
 * struct hvm_start_info, its module list and (version >= 1) memory map. */
#include "boot/pvh.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"

#define PVH_START_MAGIC 0x336ec578   /* XEN_HVM_START_MAGIC_VALUE */
#define PVH_MEMMAP_VERSION 1         /* memmap_* fields exist from version 1 */
/* QEMU's -initrd carries no command line; call it what it is to Anvil. */
#define PVH_UNNAMED_FIRST_MODULE "initfs"
#define PVH_UNNAMED_MODULE "module"

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    /* version >= 1 */
    uint64_t memmap_paddr;
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;       /* XEN_HVM_MEMMAP_TYPE_*: the E820 numbers */
    uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "pvh: start info");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "pvh: module entry");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "pvh: memmap entry");

static void parse_modules(struct boot_info *bi, const struct hvm_start_info *si)
{
    const struct hvm_modlist_entry *mods =
        boot_phys(si->modlist_paddr, (uint64_t)si->nr_modules * sizeof(*mods));
    char name[BOOT_MODULE_NAME_MAX];

    if (si->nr_modules && !mods) {
        kprintf("boot: pvh: module list at 0x%lx unreadable\n", si->modlist_paddr);
        return;
    }
    for (uint32_t i = 0; i < si->nr_modules; i++) {
        boot_copy_string(name, sizeof(name), mods[i].cmdline_paddr);
        if (name[0] == '\0')
            strlcpy(name, i == 0 ? PVH_UNNAMED_FIRST_MODULE : PVH_UNNAMED_MODULE,
                    sizeof(name));
        boot_info_add_module(bi, mods[i].paddr, mods[i].size, name);
    }
}

static void parse_memmap(struct boot_info *bi, const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *e;

    if (si->version < PVH_MEMMAP_VERSION || si->memmap_entries == 0) {
        kprintf("boot: pvh: no memory map (start info version %u)\n", si->version);
        return;
    }
    e = boot_phys(si->memmap_paddr, (uint64_t)si->memmap_entries * sizeof(*e));
    if (!e) {
        kprintf("boot: pvh: memory map at 0x%lx unreadable\n", si->memmap_paddr);
        return;
    }
    for (uint32_t i = 0; i < si->memmap_entries; i++)
        boot_info_add_mem(bi, e[i].addr, e[i].size, e[i].type);
}

static void copy_rsdp(struct boot_info *bi, uint64_t phys)
{
    const uint8_t *rsdp = boot_phys(phys, BOOT_RSDP_MAX);

    if (!rsdp)
        return;
    /* Revision 0 is the 20-byte ACPI 1.0 form; 2 and later are 36 bytes. */
    bi->rsdp_len = rsdp[BOOT_RSDP_REVISION_OFFSET] >= 2 ? BOOT_RSDP_MAX : BOOT_RSDP_V1_SIZE;
    memcpy(bi->rsdp, rsdp, bi->rsdp_len);
}

void pvh_parse(struct boot_info *bi, uint64_t info_phys)
{
    const struct hvm_start_info *si = boot_phys(info_phys, sizeof(*si));

    if (!si || si->magic != PVH_START_MAGIC)
        panic("boot: pvh start info at 0x%lx has bad magic 0x%x", info_phys,
              si ? si->magic : 0);
    boot_copy_string(bi->cmdline, sizeof(bi->cmdline), si->cmdline_paddr);
    parse_modules(bi, si);
    parse_memmap(bi, si);
    copy_rsdp(bi, si->rsdp_paddr);
}
