/* kernel/boot/multiboot2.c: reading the multiboot2 boot information structure
 * (Multiboot2 spec §3.6, "Boot information format"): a header, then tags,
 * each 8-byte aligned, up to an end tag. */
#include "boot/multiboot2.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "lib/string.h"

/* Tag types, Multiboot2 spec §3.6 (one subsection per tag). */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_TAG_ALIGN 8

/* framebuffer_type, §3.6 "Framebuffer info" */
#define MB2_FB_TYPE_RGB 1
#define MB2_FB_BPP_SUPPORTED 32

/* Sanity bound on the structure's size; GRUB's is a few KiB. */
#define MB2_INFO_MAX (1u << 20)

struct mb2_info_header {
    uint32_t total_size;
    uint32_t reserved;
};

struct mb2_tag {
    uint32_t type;
    uint32_t size;    /* header included, padding not */
};

struct mb2_tag_module {
    struct mb2_tag tag;
    uint32_t mod_start;
    uint32_t mod_end;
    char string[];
};

struct mb2_tag_mmap {
    struct mb2_tag tag;
    uint32_t entry_size;
    uint32_t entry_version;
};

struct mb2_mmap_entry {
    uint64_t base_addr;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};

/* GRUB and the spec's multiboot2.h use a 16-bit reserved field here. */
struct mb2_tag_framebuffer {
    struct mb2_tag tag;
    uint64_t addr;
    uint32_t pitch;
    uint32_t width;
    uint32_t height;
    uint8_t bpp;
    uint8_t fb_type;
    uint16_t reserved;
    /* color_info for MB2_FB_TYPE_RGB */
    uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
} __attribute__((packed));

_Static_assert(sizeof(struct mb2_tag_module) == 16, "mb2: module tag");
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "mb2: mmap entry");
_Static_assert(sizeof(struct mb2_tag_framebuffer) == 38, "mb2: framebuffer tag");

#define MB2_FB_COMMON_SIZE 32   /* up to and including reserved */

/* A tag's payload as a NUL-terminated string, copied and bounded. */
static void copy_tag_string(char *buf, size_t size, const char *s, size_t avail)
{
    size_t n = strnlen(s, avail);

    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

static void parse_module(struct boot_info *bi, const struct mb2_tag *tag)
{
    const struct mb2_tag_module *m = (const void *)tag;
    char name[BOOT_MODULE_NAME_MAX];

    if (tag->size < sizeof(*m) || m->mod_end < m->mod_start) {
        kprintf("boot: multiboot2: skipping malformed module tag\n");
        return;
    }
    copy_tag_string(name, sizeof(name), m->string, tag->size - sizeof(*m));
    boot_info_add_module(bi, m->mod_start, m->mod_end - m->mod_start, name);
}

static void parse_mmap(struct boot_info *bi, const struct mb2_tag *tag)
{
    const struct mb2_tag_mmap *mm = (const void *)tag;
    const uint8_t *p = (const uint8_t *)(mm + 1);
    const uint8_t *end = (const uint8_t *)tag + tag->size;

    if (tag->size < sizeof(*mm) || mm->entry_size < sizeof(struct mb2_mmap_entry)) {
        kprintf("boot: multiboot2: skipping malformed memory map\n");
        return;
    }
    for (; p + mm->entry_size <= end; p += mm->entry_size) {
        const struct mb2_mmap_entry *e = (const void *)p;

        boot_info_add_mem(bi, e->base_addr, e->length, e->type);
    }
}

static void parse_framebuffer(struct boot_info *bi, const struct mb2_tag *tag)
{
    const struct mb2_tag_framebuffer *t = (const void *)tag;
    struct boot_framebuffer *fb = &bi->fb;

    if (tag->size < MB2_FB_COMMON_SIZE)
        return;
    *fb = (struct boot_framebuffer){
        .present = true,
        .type = t->fb_type,
        .bpp = t->bpp,
        .phys = t->addr,
        .pitch = t->pitch,
        .width = t->width,
        .height = t->height,
    };
    if (t->fb_type != MB2_FB_TYPE_RGB || t->bpp != MB2_FB_BPP_SUPPORTED ||
        tag->size < sizeof(*t))
        return;
    fb->usable = true;
    fb->red_pos = t->red_pos;
    fb->red_size = t->red_size;
    fb->green_pos = t->green_pos;
    fb->green_size = t->green_size;
    fb->blue_pos = t->blue_pos;
    fb->blue_size = t->blue_size;
}

/* Tags 14/15 hold a copy of the RSDP itself, not its address. */
static void parse_rsdp(struct boot_info *bi, const struct mb2_tag *tag)
{
    size_t n = tag->size - sizeof(*tag);

    if (n > BOOT_RSDP_MAX)
        n = BOOT_RSDP_MAX;
    if (tag->type == MB2_TAG_ACPI_OLD && bi->rsdp_len > n)
        return;    /* keep the ACPI 2.0 copy if we saw it first */
    memcpy(bi->rsdp, tag + 1, n);
    bi->rsdp_len = n;
}

static void parse_tag(struct boot_info *bi, const struct mb2_tag *tag)
{
    const char *payload = (const char *)(tag + 1);
    size_t avail = tag->size - sizeof(*tag);

    switch (tag->type) {
    case MB2_TAG_CMDLINE:
        copy_tag_string(bi->cmdline, sizeof(bi->cmdline), payload, avail);
        break;
    case MB2_TAG_LOADER_NAME:
        copy_tag_string(bi->loader, sizeof(bi->loader), payload, avail);
        break;
    case MB2_TAG_MODULE:
        parse_module(bi, tag);
        break;
    case MB2_TAG_MMAP:
        parse_mmap(bi, tag);
        break;
    case MB2_TAG_FRAMEBUFFER:
        parse_framebuffer(bi, tag);
        break;
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW:
        parse_rsdp(bi, tag);
        break;
    default:
        break;   /* tags we do not need yet */
    }
}

void mb2_parse(struct boot_info *bi, uint32_t magic, uint64_t info_phys)
{
    const struct mb2_info_header *hdr = boot_phys(info_phys, sizeof(*hdr));
    const uint8_t *base = (const uint8_t *)hdr;
    uint32_t total;

    if (magic != MB2_BOOTLOADER_MAGIC)
        panic("boot: multiboot2 entry with bad magic 0x%x", magic);
    if (!hdr || (info_phys & (MB2_TAG_ALIGN - 1)))
        panic("boot: multiboot2 information at 0x%lx is unreadable", info_phys);
    total = hdr->total_size;
    if (total < sizeof(*hdr) || total > MB2_INFO_MAX || !boot_phys(info_phys, total))
        panic("boot: multiboot2 information has bad size %u", total);
    for (uint32_t off = sizeof(*hdr); off + sizeof(struct mb2_tag) <= total;) {
        const struct mb2_tag *tag = (const void *)(base + off);

        if (tag->type == MB2_TAG_END)
            break;
        if (tag->size < sizeof(*tag) || tag->size > total - off) {
            kprintf("boot: multiboot2: bad tag size %u at offset %u\n", tag->size, off);
            break;
        }
        parse_tag(bi, tag);
        off += (tag->size + MB2_TAG_ALIGN - 1) & ~(uint32_t)(MB2_TAG_ALIGN - 1);
    }
}
