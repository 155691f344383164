/* image/gpt.h: the GUID Partition Table (UEFI 2.10 §5.2-5.3): a protective MBR,
 * primary and backup headers and entry arrays, written into a disk image. */
#ifndef ANVIL_IMAGE_GPT_H
#define ANVIL_IMAGE_GPT_H

#include <stddef.h>
#include <stdint.h>

#define GPT_SECTOR 512u                 /* logical block size this code writes */
#define GPT_ENTRIES 128u                /* UEFI 2.10 §5.3.1: room for at least 128 */
#define GPT_ENTRY_SIZE 128u             /* UEFI 2.10 §5.3.3, SizeOfPartitionEntry */
#define GPT_ENTRY_SECTORS (GPT_ENTRIES * GPT_ENTRY_SIZE / GPT_SECTOR)  /* 32 */
#define GPT_HEADER_LBA 1u               /* UEFI 2.10 §5.3.1: primary header at LBA 1 */
#define GPT_ENTRIES_LBA 2u              /* the primary entry array follows it */
#define GPT_FIRST_USABLE (GPT_ENTRIES_LBA + GPT_ENTRY_SECTORS)         /* 34 */
#define GPT_NAME_UNITS 36u              /* PartitionName: 72 bytes of UTF-16LE */
#define GPT_MBR_CODE_SIZE 440u          /* UEFI 2.10 §5.2.3 Table 5-3: BootCode */
#define GPT_GUID_TEXT 37u               /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" + NUL */

/* Partition type GUIDs (UEFI 2.10 §5.3.3 Table 5-7, and GRUB's BIOS boot). */
#define GPT_TYPE_BIOS_BOOT "21686148-6449-6E6F-744E-656564454649"  /* "Hah!IdontNeedEFI" */
#define GPT_TYPE_EFI_SYSTEM "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
/* Anvil's root file system: a random version-4 GUID made once for Anvil. What
 * goes in the partition is the storage work's to define; for now it is zeros. */
#define GPT_TYPE_ANVIL_ROOT "181C7A57-9402-4529-A593-6CB00861D32C"

/* A GUID as stored on disk: the first three fields little-endian, the last two
 * (8 bytes) in the order they are written (UEFI 2.10 Appendix A). */
struct gpt_guid {
    uint8_t b[16];
};
_Static_assert(sizeof(struct gpt_guid) == 16, "GUID is 16 bytes");

/* UEFI 2.10 §5.2.1 Table 5-2: one MBR partition record. */
struct gpt_mbr_record {
    uint8_t boot_indicator;
    uint8_t start_chs[3];
    uint8_t os_type;
    uint8_t end_chs[3];
    uint32_t start_lba;
    uint32_t size_lba;
} __attribute__((packed));
_Static_assert(sizeof(struct gpt_mbr_record) == 16, "MBR record is 16 bytes");

/* UEFI 2.10 §5.2.3 Table 5-3: the protective MBR in LBA 0. */
struct gpt_mbr {
    uint8_t boot_code[GPT_MBR_CODE_SIZE];
    uint32_t disk_signature;
    uint16_t unknown;
    struct gpt_mbr_record part[4];
    uint16_t signature;
} __attribute__((packed));
_Static_assert(sizeof(struct gpt_mbr) == GPT_SECTOR, "MBR is one sector");

/* UEFI 2.10 §5.3.2 Table 5-5: the GPT header (the rest of its sector is zero). */
struct gpt_header {
    uint64_t signature;
    uint32_t revision;
    uint32_t header_size;
    uint32_t header_crc32;
    uint32_t reserved;
    uint64_t my_lba;
    uint64_t alternate_lba;
    uint64_t first_usable_lba;
    uint64_t last_usable_lba;
    struct gpt_guid disk_guid;
    uint64_t entries_lba;
    uint32_t num_entries;
    uint32_t entry_size;
    uint32_t entries_crc32;
} __attribute__((packed));
_Static_assert(sizeof(struct gpt_header) == 92, "GPT header is 92 bytes");

/* UEFI 2.10 §5.3.3 Table 5-6: one partition entry. */
struct gpt_entry {
    struct gpt_guid type_guid;
    struct gpt_guid unique_guid;
    uint64_t first_lba;
    uint64_t last_lba;            /* inclusive */
    uint64_t attributes;
    uint16_t name[GPT_NAME_UNITS];  /* UTF-16LE, NUL-padded */
};
_Static_assert(sizeof(struct gpt_entry) == GPT_ENTRY_SIZE, "GPT entry is 128 bytes");

#define GPT_SIGNATURE 0x5452415020494645ULL  /* "EFI PART", UEFI 2.10 §5.3.2 */
#define GPT_REVISION 0x00010000u             /* 1.0, UEFI 2.10 §5.3.2 */

/* One partition to write: name is ASCII (at most GPT_NAME_UNITS characters),
 * type a GUID in text form, LBAs inclusive. */
struct gpt_part {
    const char *name;
    const char *type;
    uint64_t first_lba;
    uint64_t last_lba;
    uint64_t attributes;
};

/* What gpt_write puts on a disk. */
struct gpt_layout {
    uint64_t sectors;              /* the disk's size in GPT_SECTOR sectors */
    const char *seed;              /* disk and partition GUIDs derive from it */
    const uint8_t *boot_code;      /* GPT_MBR_CODE_SIZE bytes for LBA 0, or NULL */
    const struct gpt_part *parts;  /* in table order */
    size_t nparts;
};

/* "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" (any case) into on-disk bytes; -1 when malformed. */
int gpt_guid_parse(const char *text, struct gpt_guid *out);
/* The canonical upper-case text of g. */
void gpt_guid_format(const struct gpt_guid *g, char out[GPT_GUID_TEXT]);
/* A version-4 (RFC 4122 §4.4) GUID whose bits are a hash of seed and what:
 * unique per (seed, what), and the same every time. */
void gpt_guid_derive(const char *seed, const char *what, struct gpt_guid *out);
/* The unique GUID gpt_write gives the disk and partition index (0-based). */
void gpt_disk_guid(const char *seed, struct gpt_guid *out);
void gpt_part_guid(const char *seed, size_t index, struct gpt_guid *out);

/* Write the protective MBR, both headers and both entry arrays of l into fd,
 * a file of l->sectors sectors (path names it in errors). Checks l first and
 * writes nothing when it is wrong. Returns 0, or -1 after an error message. */
int gpt_write(int fd, const char *path, const struct gpt_layout *l);

#endif
