/* kernel/boot/boot_info.c: the protocol-independent boot information and the
 * helpers the multiboot2 and PVH parsers share. */
#include "arch/x86_64/paging.h"
#include "boot/boot_info.h"
#include "boot/multiboot2.h"
#include "boot/pvh.h"
#include "lib/panic.h"
#include "lib/string.h"

/* Written at boot, read-only after. */
static const struct boot_info *loaded;

const char *boot_cmdline(void)
{
    return loaded ? loaded->cmdline : "";
}

void boot_info_load(struct boot_info *bi, int protocol, uint32_t magic, uint64_t info_phys)
{
    memset(bi, 0, sizeof(*bi));
    loaded = bi;
    bi->protocol = protocol;
    switch (protocol) {
    case BOOT_PROTO_MULTIBOOT2:
        mb2_parse(bi, magic, info_phys);
        break;
    case BOOT_PROTO_PVH:
        pvh_parse(bi, info_phys);
        break;
    default:
        panic("boot: unknown boot protocol %d", protocol);
    }
}

void boot_info_add_mem(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type)
{
    if (length == 0)
        return;
    if (bi->mem_count == BOOT_MEM_MAX) {
        bi->mem_dropped++;
        return;
    }
    bi->mem[bi->mem_count++] = (struct boot_mem_region){base, length, type};
}

void boot_info_add_module(struct boot_info *bi, uint64_t phys, uint64_t size,
                          const char *name)
{
    struct boot_module *m;

    if (bi->module_count == BOOT_MODULES_MAX) {
        bi->modules_dropped++;
        return;
    }
    m = &bi->modules[bi->module_count++];
    m->phys = phys;
    m->size = size;
    strlcpy(m->name, name, sizeof(m->name));
}

const void *boot_phys(uint64_t phys, uint64_t len)
{
    if (phys == 0 || !x86_direct_map_covers(phys, len))
        return NULL;
    return x86_phys_to_virt(phys);
}

void boot_copy_string(char *buf, size_t size, uint64_t phys)
{
    size_t i = 0;

    for (; i + 1 < size; i++) {
        const char *c = boot_phys(phys + i, 1);

        if (!c || *c == '\0')
            break;
        buf[i] = *c;
    }
    buf[i] = '\0';
}

const char *boot_protocol_name(int protocol)
{
    switch (protocol) {
    case BOOT_PROTO_MULTIBOOT2:
        return "multiboot2";
    case BOOT_PROTO_PVH:
        return "pvh";
    default:
        return "unknown";
    }
}

bool boot_mem_overlaps_usable(uint64_t start, uint64_t end)
{
    for (size_t i = 0; loaded && i < loaded->mem_count; i++) {
        const struct boot_mem_region *r = &loaded->mem[i];
        if (r->type == BOOT_MEM_USABLE && r->length && start <= r->base + (r->length - 1) &&
            r->base <= end)
            return true;
    }
    return !loaded;   /* no memory map: nothing is known to be device memory */
}

uint64_t boot_info_usable_bytes(const struct boot_info *bi, size_t *regions)
{
    uint64_t total = 0;
    size_t n = 0;

    for (size_t i = 0; i < bi->mem_count; i++) {
        if (bi->mem[i].type != BOOT_MEM_USABLE)
            continue;
        total += bi->mem[i].length;
        n++;
    }
    if (regions)
        *regions = n;
    return total;
}
