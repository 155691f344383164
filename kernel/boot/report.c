/* kernel/boot/report.c: the boot report. Its line formats are a contract with
 * the tests (tests/ grep them on the serial port), so change them only
 * together with the tests. */
#include "boot/report.h"
#include "lib/kprintf.h"
#include "buildinfo.h"

#define MIB (1024 * 1024)
#define KIB 1024

static const char *mem_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_USABLE:
        return "usable";
    case BOOT_MEM_RESERVED:
        return "reserved";
    case BOOT_MEM_ACPI_RECLAIMABLE:
        return "acpi-reclaimable";
    case BOOT_MEM_ACPI_NVS:
        return "acpi-nvs";
    case BOOT_MEM_BAD:
        return "bad";
    default:
        return NULL;
    }
}

static void print_banner(void)
{
    const char *features = ANVIL_FEATURES;

    kprintf("Anvil %s %s features: %s\n", ANVIL_VERSION, ANVIL_ARCH,
            features[0] ? features : "none");
}

static void print_memory_summary(const struct boot_info *bi)
{
    size_t regions;
    uint64_t usable = boot_info_usable_bytes(bi, &regions);

    kprintf("memory: %lu MiB usable in %zu regions\n", usable / MIB, regions);
    if (bi->mem_dropped)
        kprintf("memory: %zu regions past the first %d ignored\n", bi->mem_dropped,
                BOOT_MEM_MAX);
}

static void print_modules(const struct boot_info *bi)
{
    if (bi->module_count == 0)
        kprintf("module: none\n");
    for (size_t i = 0; i < bi->module_count; i++) {
        const struct boot_module *m = &bi->modules[i];

        kprintf("module: %s %lu bytes at 0x%lx\n", m->name[0] ? m->name : "unnamed",
                m->size, m->phys);
    }
    if (bi->modules_dropped)
        kprintf("module: %zu more ignored\n", bi->modules_dropped);
}

static void print_framebuffer(const struct boot_framebuffer *fb)
{
    if (fb->present && !fb->usable)
        kprintf("boot: ignoring framebuffer of type %u at %u bpp (want RGB, 32 bpp)\n",
                fb->type, fb->bpp);
    if (!fb->usable) {
        kprintf("framebuffer: none\n");
        return;
    }
    kprintf("framebuffer: %ux%ux%u at 0x%lx\n", fb->width, fb->height, fb->bpp, fb->phys);
}

void boot_report_print(const struct boot_info *bi)
{
    print_banner();
    kprintf("boot: %s cmdline \"%s\"\n", boot_protocol_name(bi->protocol), bi->cmdline);
    if (bi->loader[0])
        kprintf("boot: loader \"%s\"\n", bi->loader);
    print_memory_summary(bi);
    print_modules(bi);
    print_framebuffer(&bi->fb);
    if (bi->rsdp_len)
        kprintf("acpi: rsdp revision %u\n", bi->rsdp[BOOT_RSDP_REVISION_OFFSET]);
    else
        kprintf("acpi: no rsdp\n");
    kprintf("timer_hz: %d\n", ANVIL_TIMER_HZ);
}

void boot_report_memory_map(const struct boot_info *bi)
{
    for (size_t i = 0; i < bi->mem_count; i++) {
        const struct boot_mem_region *r = &bi->mem[i];
        const char *type = mem_type_name(r->type);

        kprintf("  %016lx-%016lx %10lu KiB ", r->base, r->base + r->length - 1,
                r->length / KIB);
        if (type)
            kprintf("%s\n", type);
        else
            kprintf("type %u\n", r->type);
    }
    print_memory_summary(bi);
}
