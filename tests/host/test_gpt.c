/* tests/host/test_gpt.c: CRC-32 test vectors, GUIDs (text, on-disk order, derived
 * version-4), and a GPT written to a file and read back field by field. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc32.h"
#include "gpt.h"
#include "tap.h"
#include "tools.h"
#include "util.h"

#define DISK_SECTORS 16384u  /* 8 MiB */

static char dir[] = "/tmp/anvil-test-gpt-XXXXXX";

static const struct gpt_part parts[] = {
    {"BIOS boot", GPT_TYPE_BIOS_BOOT, 2048, 4095, 0},
    {"EFI system", GPT_TYPE_EFI_SYSTEM, 4096, 8191, 0},
    {"Anvil root", GPT_TYPE_ANVIL_ROOT, 8192, 14335, 0},
};

static void test_crc32(void)
{
    const char *fox = "The quick brown fox jumps over the lazy dog";

    tap_is_int(crc32_update(0, "123456789", 9), 0xCBF43926u, "crc32(\"123456789\") = 0xCBF43926");
    tap_is_int(crc32_update(0, "", 0), 0, "crc32 of nothing is 0");
    tap_is_int(crc32_update(0, "a", 1), 0xE8B7BE43u, "crc32(\"a\") = 0xE8B7BE43");
    tap_is_int(crc32_update(0, fox, strlen(fox)), 0x414FA339u, "crc32 of the quick brown fox");
    tap_is_int(crc32_update(crc32_update(0, "12345", 5), "6789", 4), 0xCBF43926u,
               "crc32 continues across calls");
}

static void test_guid_text(void)
{
    static const uint8_t esp_disk[16] = {0x28, 0x73, 0x2A, 0xC1, 0x1F, 0xF8, 0xD2, 0x11,
                                         0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B};
    struct gpt_guid g;
    char text[GPT_GUID_TEXT];

    tap_ok(gpt_guid_parse(GPT_TYPE_EFI_SYSTEM, &g) == 0 && !memcmp(g.b, esp_disk, 16),
           "the ESP type GUID is stored mixed-endian");
    gpt_guid_format(&g, text);
    tap_is_str(text, GPT_TYPE_EFI_SYSTEM, "and formats back to its text");
    tap_ok(gpt_guid_parse(GPT_TYPE_BIOS_BOOT, &g) == 0 && !memcmp(g.b, "Hah!IdontNeedEFI", 16),
           "the BIOS boot type GUID reads \"Hah!IdontNeedEFI\" on disk");
    tap_ok(gpt_guid_parse("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", &g) == 0 &&
               !memcmp(g.b, esp_disk, 16), "lower case parses too");
    tap_ok(gpt_guid_parse("C12A7328F81F-11D2-BA4B-00A0C93EC93B-", &g) < 0,
           "a misplaced dash is rejected");
    tap_ok(gpt_guid_parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93", &g) < 0,
           "a short GUID is rejected");
    tap_ok(gpt_guid_parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93G", &g) < 0,
           "a non-hex digit is rejected");
}

static void test_guid_derive(void)
{
    struct gpt_guid a, b, c, d;
    char text[GPT_GUID_TEXT];

    gpt_guid_derive("ANV12345678", "disk", &a);
    gpt_guid_derive("ANV12345678", "disk", &b);
    gpt_guid_derive("ANV12345679", "disk", &c);
    gpt_guid_derive("ANV12345678", "part1", &d);
    gpt_guid_format(&a, text);
    tap_ok(text[14] == '4', "a derived GUID is version 4 (%s)", text);
    tap_ok(strchr("89AB", text[19]) != NULL, "and has the RFC 4122 variant (%s)", text);
    tap_ok((a.b[7] & 0xF0) == 0x40 && (a.b[8] & 0xC0) == 0x80,
           "on disk: version in byte 7, variant in byte 8");
    tap_ok(!memcmp(&a, &b, sizeof a), "the same seed gives the same GUID");
    tap_ok(memcmp(&a, &c, sizeof a) != 0, "another seed gives another GUID");
    tap_ok(memcmp(&a, &d, sizeof a) != 0, "another purpose gives another GUID");
}

/* A fresh zero-filled disk file of DISK_SECTORS sectors, open for writing. */
static int new_disk(const char *name, char **path)
{
    int fd;

    *path = xasprintf("%s/%s", dir, name);
    fd = open(*path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0 && ftruncate(fd, (off_t)DISK_SECTORS * GPT_SECTOR) < 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Write a GPT with seed into dir/name; returns the file's bytes (caller frees). */
static uint8_t *write_table(const char *name, const char *seed, const uint8_t *code)
{
    struct gpt_layout l = {.sectors = DISK_SECTORS, .seed = seed, .boot_code = code,
                           .parts = parts, .nparts = 3};
    char *path;
    int fd = new_disk(name, &path);
    uint8_t *bytes = NULL;
    size_t len = 0;

    if (fd >= 0 && gpt_write(fd, path, &l) == 0 && close(fd) == 0)
        bytes = (uint8_t *)util_read_file(path, &len);
    if (bytes && len != (size_t)DISK_SECTORS * GPT_SECTOR) {
        free(bytes);
        bytes = NULL;
    }
    free(path);
    return bytes;
}

static void check_mbr(const uint8_t *disk, const uint8_t *code)
{
    struct gpt_mbr mbr;
    static const uint8_t zero[48];

    memcpy(&mbr, disk, sizeof mbr);
    tap_ok(!memcmp(mbr.boot_code, code, GPT_MBR_CODE_SIZE), "MBR bytes 0..439 are the caller's");
    tap_is_int(mbr.part[0].os_type, 0xEE, "MBR record 1 is the protective type 0xEE");
    tap_is_int(mbr.part[0].boot_indicator, 0, "and is not marked bootable");
    tap_is_int(mbr.part[0].start_lba, 1, "and starts at LBA 1");
    tap_is_int(mbr.part[0].size_lba, DISK_SECTORS - 1, "and covers the rest of the disk");
    tap_ok(mbr.part[0].start_chs[0] == 0 && mbr.part[0].start_chs[1] == 2 &&
               mbr.part[0].start_chs[2] == 0, "its start CHS is 0x000200");
    tap_ok(!memcmp(&mbr.part[1], zero, sizeof zero), "MBR records 2..4 are empty");
    tap_is_int(mbr.signature, 0xAA55, "the MBR ends in 0x55 0xAA");
    tap_ok(disk[510] == 0x55 && disk[511] == 0xAA, "in that byte order");
}

/* A header at lba: its fields, its CRC, zeros after it; returns it in *out. */
static void check_header(const uint8_t *disk, uint64_t lba, uint64_t alt, uint64_t entries,
                         struct gpt_header *out)
{
    const uint8_t *sector = disk + lba * GPT_SECTOR;
    struct gpt_header h;
    static const uint8_t zero[GPT_SECTOR - sizeof h];
    uint32_t crc;

    memcpy(&h, sector, sizeof h);
    *out = h;
    tap_ok(!memcmp(sector, "EFI PART", 8), "LBA %llu: signature \"EFI PART\"",
           (unsigned long long)lba);
    tap_is_int(h.revision, 0x00010000, "revision 1.0");
    tap_is_int(h.header_size, 92, "header size 92");
    tap_is_int(h.reserved, 0, "reserved is 0");
    tap_is_int(h.my_lba, lba, "my_lba");
    tap_is_int(h.alternate_lba, alt, "alternate_lba");
    tap_is_int(h.first_usable_lba, 34, "first usable LBA 34");
    tap_is_int(h.last_usable_lba, DISK_SECTORS - 34, "last usable LBA: before the backup array");
    tap_is_int(h.entries_lba, entries, "entry array LBA");
    tap_ok(h.num_entries == 128 && h.entry_size == 128, "128 entries of 128 bytes");
    tap_is_int(h.entries_crc32, crc32_update(0, disk + entries * GPT_SECTOR, 128 * 128),
               "the entry array's CRC-32");
    crc = h.header_crc32;
    h.header_crc32 = 0;
    tap_is_int(crc, crc32_update(0, &h, sizeof h), "the header's CRC-32 (taken with the field 0)");
    tap_ok(!memcmp(sector + sizeof h, zero, sizeof zero), "the rest of the sector is zero");
}

static void check_entries(const uint8_t *disk, const char *seed)
{
    struct gpt_entry e[4];
    struct gpt_guid type, unique;
    static const uint8_t zero[sizeof e[0]];
    const uint16_t want_name[] = {'E', 'F', 'I', ' ', 's', 'y', 's', 't', 'e', 'm', 0};

    memcpy(e, disk + 2 * GPT_SECTOR, sizeof e);
    for (size_t i = 0; i < 3; i++) {
        gpt_guid_parse(parts[i].type, &type);
        gpt_part_guid(seed, i, &unique);
        tap_ok(!memcmp(&e[i].type_guid, &type, 16) && !memcmp(&e[i].unique_guid, &unique, 16),
               "entry %zu: type and unique GUIDs", i + 1);
        tap_ok(e[i].first_lba == parts[i].first_lba && e[i].last_lba == parts[i].last_lba,
               "entry %zu: first and last LBA", i + 1);
        tap_ok((e[i].unique_guid.b[7] & 0xF0) == 0x40, "entry %zu: unique GUID is version 4",
               i + 1);
    }
    tap_ok(!memcmp(e[1].name, want_name, sizeof want_name), "names are UTF-16LE");
    tap_ok(memcmp(&e[0].unique_guid, &e[1].unique_guid, 16) != 0,
           "partitions get different unique GUIDs");
    tap_ok(!memcmp(&e[3], zero, sizeof zero), "unused entries are zero");
}

static void test_table(void)
{
    uint8_t code[GPT_MBR_CODE_SIZE];
    struct gpt_header primary, backup;
    uint64_t last = DISK_SECTORS - 1, backup_entries = DISK_SECTORS - 33;
    uint8_t *disk;

    for (size_t i = 0; i < sizeof code; i++)
        code[i] = (uint8_t)(i * 7 + 1);
    disk = write_table("a.img", "ANVTEST0001", code);
    if (!tap_ok(disk != NULL, "gpt_write writes a table"))
        return;
    check_mbr(disk, code);
    check_header(disk, 1, last, 2, &primary);
    check_header(disk, last, 1, backup_entries, &backup);
    tap_ok(!memcmp(disk + 2 * GPT_SECTOR, disk + backup_entries * GPT_SECTOR, 128 * 128),
           "the backup entry array equals the primary");
    tap_ok(!memcmp(&primary.disk_guid, &backup.disk_guid, 16) &&
               primary.entries_crc32 == backup.entries_crc32,
           "the backup header equals the primary but for its LBAs and CRC");
    check_entries(disk, "ANVTEST0001");
    free(disk);
}

static void test_reproducible(void)
{
    uint8_t *a = write_table("r1.img", "ANVTEST0001", NULL);
    uint8_t *b = write_table("r2.img", "ANVTEST0001", NULL);
    uint8_t *c = write_table("r3.img", "ANVTEST0002", NULL);
    struct gpt_header ha, hc;
    size_t n = (size_t)DISK_SECTORS * GPT_SECTOR;

    if (tap_ok(a && b && c, "three tables written")) {
        tap_ok(!memcmp(a, b, n), "the same seed gives byte-identical disks");
        memcpy(&ha, a + GPT_SECTOR, sizeof ha);
        memcpy(&hc, c + GPT_SECTOR, sizeof hc);
        tap_ok(memcmp(&ha.disk_guid, &hc.disk_guid, 16) != 0, "another seed, another disk GUID");
        tap_ok(memcmp(a + 2 * GPT_SECTOR + 16, c + 2 * GPT_SECTOR + 16, 16) != 0,
               "another seed, other partition GUIDs");
        tap_ok(a[0] == 0 && !memcmp(a, a + 1, GPT_MBR_CODE_SIZE - 1),
               "without boot code the MBR's code area is zero");
    }
    free(a);
    free(b);
    free(c);
}

/* gpt_write must refuse l and leave the file as it was (all zeros). */
static void expect_refusal(const struct gpt_part *p, size_t n, uint64_t sectors, const char *why)
{
    struct gpt_layout l = {.sectors = sectors, .seed = "X", .parts = p, .nparts = n};
    char *path;
    int fd = new_disk("bad.img", &path);
    size_t len = 0;
    int saved = dup(2), null = open("/dev/null", O_WRONLY);
    int ret;
    char *bytes;

    dup2(null, 2);  /* the expected error message */
    ret = gpt_write(fd, path, &l);
    dup2(saved, 2);
    close(saved);
    close(null);
    close(fd);
    bytes = util_read_file(path, &len);
    tap_ok(ret < 0 && bytes && len > 0 && bytes[0] == 0 && !memcmp(bytes, bytes + 1, len - 1),
           "refused, nothing written: %s", why);
    free(bytes);
    free(path);
}

static void test_refusals(void)
{
    static const struct gpt_part overlap[] = {
        {"a", GPT_TYPE_EFI_SYSTEM, 2048, 4095, 0}, {"b", GPT_TYPE_EFI_SYSTEM, 4095, 5000, 0}};
    static const struct gpt_part early[] = {{"a", GPT_TYPE_EFI_SYSTEM, 33, 100, 0}};
    static const struct gpt_part late[] = {{"a", GPT_TYPE_EFI_SYSTEM, 2048, DISK_SECTORS - 33, 0}};
    static const struct gpt_part backwards[] = {{"a", GPT_TYPE_EFI_SYSTEM, 3000, 2999, 0}};
    static const struct gpt_part long_name[] = {
        {"0123456789012345678901234567890123456", GPT_TYPE_EFI_SYSTEM, 2048, 4095, 0}};
    static const struct gpt_part bad_type[] = {{"a", "not-a-guid", 2048, 4095, 0}};
    static struct gpt_part many[GPT_ENTRIES + 1];

    expect_refusal(overlap, 2, DISK_SECTORS, "overlapping partitions");
    expect_refusal(early, 1, DISK_SECTORS, "a partition over the primary entry array");
    expect_refusal(late, 1, DISK_SECTORS, "a partition over the backup entry array");
    expect_refusal(backwards, 1, DISK_SECTORS, "last LBA before first");
    expect_refusal(long_name, 1, DISK_SECTORS, "a 37-character name");
    expect_refusal(bad_type, 1, DISK_SECTORS, "a type that is not a GUID");
    for (size_t i = 0; i < GPT_ENTRIES + 1; i++)
        many[i] = (struct gpt_part){"p", GPT_TYPE_EFI_SYSTEM, 34 + i, 34 + i, 0};
    expect_refusal(many, GPT_ENTRIES + 1, DISK_SECTORS, "129 partitions");
    expect_refusal(NULL, 0, 60, "a disk too small for two tables");
}

/* gdisk's own check, when gdisk is installed. */
static void test_sgdisk(void)
{
    const char *sgdisk = access("/usr/sbin/sgdisk", X_OK) == 0 ? "/usr/sbin/sgdisk" : "sgdisk";
    char *cmd = xasprintf("%s -v %s/a.img 2>&1", sgdisk, dir);
    char out[4096] = "";
    FILE *p;
    size_t n;

    if (strchr(sgdisk, '/') == NULL && !tools_on_path(sgdisk)) {
        printf("ok %d # SKIP sgdisk (Debian package gdisk) is not installed\n", ++tap_count);
        free(cmd);
        return;
    }
    p = popen(cmd, "r");
    n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    if (p)
        pclose(p);
    out[n] = '\0';
    if (!tap_ok(strstr(out, "No problems found") != NULL, "sgdisk -v finds no problems"))
        printf("# %s\n", out);
    free(cmd);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_crc32();
    test_guid_text();
    test_guid_derive();
    test_table();
    test_reproducible();
    test_refusals();
    test_sgdisk();
    util_remove_tree(dir);
    return tap_done();
}
