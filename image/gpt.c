/* image/gpt.c: the GUID Partition Table (UEFI 2.10 §5.2-5.3): a protective MBR,
 * primary and backup headers and entry arrays, written into a disk image. */
#define _GNU_SOURCE
#include "gpt.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc32.h"
#include "util.h"

/* The structs are written as they lie in memory; on-disk fields are little-endian. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "gpt.c assumes a little-endian host");

#define MBR_SIGNATURE 0xAA55u           /* UEFI 2.10 §5.2.1 Table 5-1 */
#define MBR_TYPE_PROTECTIVE 0xEEu       /* UEFI 2.10 §5.2.3: GPT protective partition */
#define MBR_SIZE_MAX 0xFFFFFFFFu        /* SizeInLBA when the disk is larger */
#define CHS_HEADS 255u                  /* the usual BIOS translation geometry */
#define CHS_SECTORS 63u
#define CHS_CYLINDERS 1024u
#define CHS_NONE 0xFFFFFFu              /* UEFI 2.10 §5.2.3: not representable */
#define GUID_VERSION_4 0x40u            /* RFC 4122 §4.1.3, high nibble of octet 6 */
#define GUID_VARIANT_RFC4122 0x80u      /* RFC 4122 §4.1.1, top bits 10 of octet 8 */
#define GUID_TEXT_LEN 36u
#define GUID_SECOND_HALF 0x9E3779B97F4A7C15ULL  /* 2^64 / golden ratio: sets the 2nd half apart */

/* On-disk order <-> RFC 4122 (text) order: the first three fields are
 * little-endian on disk (UEFI 2.10 Appendix A); swapping is its own inverse. */
static void guid_swap(const uint8_t in[16], uint8_t out[16])
{
    static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

    for (int i = 0; i < 16; i++)
        out[i] = in[order[i]];
}

int gpt_guid_parse(const char *text, struct gpt_guid *out)
{
    uint8_t canon[16];
    size_t k = 0;

    if (strlen(text) != GUID_TEXT_LEN)
        return -1;
    for (size_t i = 0; i < GUID_TEXT_LEN; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (text[i] == '-') || (!dash && !isxdigit((unsigned char)text[i])))
            return -1;
    }
    for (size_t i = 0; i < GUID_TEXT_LEN; i += 2) {
        if (text[i] == '-')
            i++;
        char pair[3] = {text[i], text[i + 1], '\0'};
        canon[k++] = (uint8_t)strtoul(pair, NULL, 16);
    }
    guid_swap(canon, out->b);
    return 0;
}

void gpt_guid_format(const struct gpt_guid *g, char out[GPT_GUID_TEXT])
{
    uint8_t c[16];

    guid_swap(g->b, c);
    snprintf(out, GPT_GUID_TEXT,
             "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
             c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11],
             c[12], c[13], c[14], c[15]);
}

/* MurmurHash3's 64-bit finalizer: FNV-1a barely changes its high bits when
 * only the last input byte differs ("part1", "part2"); this spreads them. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    return x ^ (x >> 33);
}

void gpt_guid_derive(const char *seed, const char *what, struct gpt_guid *out)
{
    /* seed's NUL separates it from what, so ("ab","c") and ("a","bc") differ */
    uint64_t h = util_fnv1a(util_fnv1a(UTIL_FNV_INIT, seed, strlen(seed) + 1), what,
                            strlen(what));
    uint64_t h1 = mix64(h), h2 = mix64(h ^ GUID_SECOND_HALF);
    uint8_t canon[16];

    for (int i = 0; i < 8; i++) {
        canon[i] = (uint8_t)(h1 >> (56 - 8 * i));
        canon[8 + i] = (uint8_t)(h2 >> (56 - 8 * i));
    }
    canon[6] = (uint8_t)((canon[6] & 0x0F) | GUID_VERSION_4);
    canon[8] = (uint8_t)((canon[8] & 0x3F) | GUID_VARIANT_RFC4122);
    guid_swap(canon, out->b);
}

void gpt_disk_guid(const char *seed, struct gpt_guid *out)
{
    gpt_guid_derive(seed, "disk", out);
}

void gpt_part_guid(const char *seed, size_t index, struct gpt_guid *out)
{
    char what[32];

    snprintf(what, sizeof what, "part%zu", index + 1);
    gpt_guid_derive(seed, what, out);
}

static uint64_t last_usable(uint64_t sectors)
{
    /* the backup array and header take the last GPT_ENTRY_SECTORS + 1 sectors */
    return sectors - GPT_ENTRY_SECTORS - 2;
}

static int check_part(const char *path, const struct gpt_layout *l, size_t i)
{
    const struct gpt_part *p = &l->parts[i];
    struct gpt_guid type;

    if (strlen(p->name) > GPT_NAME_UNITS) {
        util_err("%s: partition %zu: name '%s' is longer than %u characters", path, i + 1,
                 p->name, GPT_NAME_UNITS);
        return -1;
    }
    for (const char *c = p->name; *c; c++) {
        if ((unsigned char)*c >= 0x80) {
            util_err("%s: partition %zu: name '%s' is not ASCII", path, i + 1, p->name);
            return -1;
        }
    }
    if (gpt_guid_parse(p->type, &type) < 0) {
        util_err("%s: partition %zu: type '%s' is not a GUID", path, i + 1, p->type);
        return -1;
    }
    if (p->first_lba < GPT_FIRST_USABLE || p->last_lba > last_usable(l->sectors) ||
        p->first_lba > p->last_lba) {
        util_err("%s: partition %zu: sectors %llu..%llu are outside %u..%llu", path, i + 1,
                 (unsigned long long)p->first_lba, (unsigned long long)p->last_lba,
                 GPT_FIRST_USABLE, (unsigned long long)last_usable(l->sectors));
        return -1;
    }
    return 0;
}

static int check_layout(const char *path, const struct gpt_layout *l)
{
    if (l->nparts > GPT_ENTRIES) {
        util_err("%s: %zu partitions, a GPT holds %u", path, l->nparts, GPT_ENTRIES);
        return -1;
    }
    if (l->sectors < GPT_FIRST_USABLE + GPT_ENTRY_SECTORS + 2) {
        util_err("%s: %llu sectors is too small for a GPT", path,
                 (unsigned long long)l->sectors);
        return -1;
    }
    for (size_t i = 0; i < l->nparts; i++) {
        if (check_part(path, l, i) < 0)
            return -1;
        for (size_t j = 0; j < i; j++) {
            if (l->parts[i].first_lba <= l->parts[j].last_lba &&
                l->parts[j].first_lba <= l->parts[i].last_lba) {
                util_err("%s: partitions %zu and %zu overlap", path, j + 1, i + 1);
                return -1;
            }
        }
    }
    return 0;
}

/* The CHS address of lba in the 255-head, 63-sector translation, as an MBR
 * record stores it: head, sector | cylinder bits 9..8 << 6, cylinder bits 7..0. */
static void lba_to_chs(uint64_t lba, uint8_t chs[3])
{
    uint64_t cyl = lba / (CHS_HEADS * CHS_SECTORS);
    uint32_t v = CHS_NONE;

    if (cyl < CHS_CYLINDERS) {
        uint32_t head = (uint32_t)(lba / CHS_SECTORS % CHS_HEADS);
        uint32_t sec = (uint32_t)(lba % CHS_SECTORS + 1);
        v = head | (sec | (uint32_t)(cyl >> 8) << 6) << 8 | (uint32_t)(cyl & 0xFF) << 16;
    }
    chs[0] = (uint8_t)v;
    chs[1] = (uint8_t)(v >> 8);
    chs[2] = (uint8_t)(v >> 16);
}

/* UEFI 2.10 §5.2.3: one 0xEE record from LBA 1 over the rest of the disk. */
static void fill_mbr(const struct gpt_layout *l, struct gpt_mbr *mbr)
{
    uint64_t size = l->sectors - 1;
    struct gpt_mbr_record *r = &mbr->part[0];

    memset(mbr, 0, sizeof *mbr);
    if (l->boot_code)
        memcpy(mbr->boot_code, l->boot_code, GPT_MBR_CODE_SIZE);
    r->os_type = MBR_TYPE_PROTECTIVE;
    r->start_lba = GPT_HEADER_LBA;
    r->size_lba = size > MBR_SIZE_MAX ? MBR_SIZE_MAX : (uint32_t)size;
    lba_to_chs(GPT_HEADER_LBA, r->start_chs);
    lba_to_chs(size > MBR_SIZE_MAX ? UINT64_MAX : size, r->end_chs);
    mbr->signature = MBR_SIGNATURE;
}

static void fill_entries(const struct gpt_layout *l, struct gpt_entry *e)
{
    memset(e, 0, GPT_ENTRIES * sizeof *e);
    for (size_t i = 0; i < l->nparts; i++) {
        const struct gpt_part *p = &l->parts[i];
        gpt_guid_parse(p->type, &e[i].type_guid);  /* checked in check_part */
        gpt_part_guid(l->seed, i, &e[i].unique_guid);
        e[i].first_lba = p->first_lba;
        e[i].last_lba = p->last_lba;
        e[i].attributes = p->attributes;
        for (size_t k = 0; p->name[k]; k++)
            e[i].name[k] = (uint16_t)(unsigned char)p->name[k];  /* ASCII is UTF-16 as is */
    }
}

/* A header sector: the header, zeros after it, and its CRC over header_size bytes. */
static void fill_header(const struct gpt_layout *l, uint64_t my_lba, uint64_t alt_lba,
                        uint64_t entries_lba, uint32_t entries_crc, uint8_t sector[GPT_SECTOR])
{
    struct gpt_header h = {
        .signature = GPT_SIGNATURE,
        .revision = GPT_REVISION,
        .header_size = sizeof h,
        .my_lba = my_lba,
        .alternate_lba = alt_lba,
        .first_usable_lba = GPT_FIRST_USABLE,
        .last_usable_lba = last_usable(l->sectors),
        .entries_lba = entries_lba,
        .num_entries = GPT_ENTRIES,
        .entry_size = GPT_ENTRY_SIZE,
        .entries_crc32 = entries_crc,
    };

    gpt_disk_guid(l->seed, &h.disk_guid);
    h.header_crc32 = crc32_update(0, &h, sizeof h);
    memset(sector, 0, GPT_SECTOR);
    memcpy(sector, &h, sizeof h);
}

static int write_at(int fd, const char *path, uint64_t lba, const void *buf, size_t len)
{
    return util_pwrite_all(fd, path, buf, len, lba * GPT_SECTOR);
}

int gpt_write(int fd, const char *path, const struct gpt_layout *l)
{
    struct gpt_entry entries[GPT_ENTRIES];  /* 16 KiB */
    uint64_t backup = l->sectors - 1, backup_entries = backup - GPT_ENTRY_SECTORS;
    uint8_t primary[GPT_SECTOR], secondary[GPT_SECTOR];
    struct gpt_mbr mbr;
    uint32_t crc;

    if (check_layout(path, l) < 0)
        return -1;
    fill_mbr(l, &mbr);
    fill_entries(l, entries);
    crc = crc32_update(0, entries, sizeof entries);
    fill_header(l, GPT_HEADER_LBA, backup, GPT_ENTRIES_LBA, crc, primary);
    fill_header(l, backup, GPT_HEADER_LBA, backup_entries, crc, secondary);
    if (write_at(fd, path, 0, &mbr, sizeof mbr) < 0 ||
        write_at(fd, path, GPT_HEADER_LBA, primary, sizeof primary) < 0 ||
        write_at(fd, path, GPT_ENTRIES_LBA, entries, sizeof entries) < 0 ||
        write_at(fd, path, backup_entries, entries, sizeof entries) < 0 ||
        write_at(fd, path, backup, secondary, sizeof secondary) < 0)
        return -1;
    return 0;
}
