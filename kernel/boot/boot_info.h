/* kernel/boot/boot_info.h: what the boot loader told us, in one form whatever
 * the protocol (multiboot2 or PVH). Everything is copied out of the loader's
 * structures, so their memory may be reused later. Also included by GNU as
 * for the protocol numbers. */
#ifndef ANVIL_BOOT_BOOT_INFO_H
#define ANVIL_BOOT_BOOT_INFO_H

/* Which entry point ran; passed from boot/entry.S to kmain. */
#define BOOT_PROTO_MULTIBOOT2 1
#define BOOT_PROTO_PVH 2

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_CMDLINE_MAX 1024
#define BOOT_MEM_MAX 128
#define BOOT_MODULES_MAX 16
#define BOOT_MODULE_NAME_MAX 64
#define BOOT_LOADER_NAME_MAX 64
#define BOOT_RSDP_MAX 36   /* ACPI 2.0+ RSDP, ACPI 6.5 §5.2.5.3 */
#define BOOT_RSDP_V1_SIZE 20
#define BOOT_RSDP_REVISION_OFFSET 15

/* The E820 numbering, which multiboot2 (spec §3.6.8) and PVH (the
 * XEN_HVM_MEMMAP_TYPE_* values) share. */
enum boot_mem_type {
    BOOT_MEM_USABLE = 1,
    BOOT_MEM_RESERVED = 2,
    BOOT_MEM_ACPI_RECLAIMABLE = 3,
    BOOT_MEM_ACPI_NVS = 4,
    BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
    uint64_t base;
    uint64_t length;
    uint32_t type;     /* enum boot_mem_type, or another loader value */
};

struct boot_module {
    uint64_t phys;
    uint64_t size;
    char name[BOOT_MODULE_NAME_MAX];   /* the module's command line */
};

struct boot_framebuffer {
    bool present;      /* the loader described a framebuffer */
    bool usable;       /* and it is 32 bpp direct RGB, which fbcon draws */
    uint8_t type;      /* multiboot2 §3.6.12: 0 indexed, 1 RGB, 2 EGA text */
    uint8_t bpp;
    uint64_t phys;
    uint32_t pitch;    /* bytes per line */
    uint32_t width;
    uint32_t height;
    uint8_t red_pos, red_size;
    uint8_t green_pos, green_size;
    uint8_t blue_pos, blue_size;
};

/* Written at boot, read-only after. */
struct boot_info {
    int protocol;                      /* BOOT_PROTO_* */
    char cmdline[BOOT_CMDLINE_MAX];
    char loader[BOOT_LOADER_NAME_MAX];  /* the boot loader's name, if it gave one */
    size_t mem_count;
    size_t mem_dropped;                /* regions past BOOT_MEM_MAX */
    struct boot_mem_region mem[BOOT_MEM_MAX];
    size_t module_count;
    size_t modules_dropped;
    struct boot_module modules[BOOT_MODULES_MAX];
    struct boot_framebuffer fb;
    size_t rsdp_len;                   /* 0: no ACPI RSDP given */
    uint8_t rsdp[BOOT_RSDP_MAX];       /* a copy of the RSDP */
};

/* Fill *bi from the loader's data at info_phys (kmain's arguments). Panics
 * if the protocol's magic is wrong: without boot info there is no memory
 * map to run on. */
void boot_info_load(struct boot_info *bi, int protocol, uint32_t magic, uint64_t info_phys);
/* The kernel command line boot_info_load found ("" before). */
const char *boot_cmdline(void);

/* For the parsers: record one item. Extra items are counted, not stored. */
void boot_info_add_mem(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type);
void boot_info_add_module(struct boot_info *bi, uint64_t phys, uint64_t size,
                          const char *name);

/* A pointer to [phys, phys + len) through the direct map, or NULL if that
 * range is not mapped (a loader bug, or memory above 4 GiB). */
const void *boot_phys(uint64_t phys, uint64_t len);

/* Copy a NUL-terminated string at phys into buf (truncating); "" if unreachable. */
void boot_copy_string(char *buf, size_t size, uint64_t phys);

/* "multiboot2" or "pvh". */
const char *boot_protocol_name(int protocol);

/* Does [start, end] (inclusive) touch BOOT_MEM_USABLE memory, RAM the
 * kernel owns? (memory: never maps it.) */
bool boot_mem_overlaps_usable(uint64_t start, uint64_t end);

/* Total bytes of BOOT_MEM_USABLE memory and the number of such regions. */
uint64_t boot_info_usable_bytes(const struct boot_info *bi, size_t *regions);

#endif /* __ASSEMBLER__ */

#endif
