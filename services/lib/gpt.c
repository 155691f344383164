/* services/lib/gpt.c: the primary GPT header at LBA 1 and its entry array
 * (UEFI 2.10 §5.3.2, §5.3.3). The backup table is not read: a disk whose
 * primary is damaged shows no partitions, only the whole disk. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gpt.h"

#define GPT_HEADER_LBA 1
#define GPT_SIGNATURE "EFI PART"      /* §5.3.2 */
#define GPT_HEADER_MIN 92
#define GPT_OFF_HEADER_SIZE 12
#define GPT_OFF_HEADER_CRC 16
#define GPT_OFF_ENTRIES_LBA 72
#define GPT_OFF_ENTRY_COUNT 80
#define GPT_OFF_ENTRY_SIZE 84
#define GPT_OFF_ENTRIES_CRC 88
#define GPT_ENTRY_MIN 128             /* §5.3.3: 128 x 2^n */
#define GPT_ENTRIES_MAX 1024
#define GPT_ENTRY_FIRST 32
#define GPT_ENTRY_LAST 40
#define GPT_ENTRY_NAME 56
#define CRC32_POLY 0xedb88320u        /* the reflected IEEE 802.3 polynomial */

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;

    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ CRC32_POLY : c >> 1;
    }
    return ~c;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The header in hdr is sane: its signature, size and CRC. */
static int header_ok(uint8_t *hdr, uint32_t sector_size)
{
    uint32_t size = le32(hdr + GPT_OFF_HEADER_SIZE), want = le32(hdr + GPT_OFF_HEADER_CRC);
    uint32_t got;

    if (memcmp(hdr, GPT_SIGNATURE, 8) != 0 || size < GPT_HEADER_MIN || size > sector_size)
        return 0;
    memset(hdr + GPT_OFF_HEADER_CRC, 0, 4);   /* the CRC is taken with its own field zero */
    got = crc32(hdr, size);
    return got == want;
}

static void label_copy(const uint8_t *utf16, char *out)
{
    int i;

    for (i = 0; i < GPT_LABEL_MAX; i++) {
        uint16_t ch = (uint16_t)(utf16[2 * i] | utf16[2 * i + 1] << 8);
        if (!ch)
            break;
        out[i] = ch >= 0x20 && ch < 0x7f && ch != '/' ? (char)ch : '?';
    }
    out[i] = '\0';
}

static const uint8_t zero_guid[16];

/* The used, in-range entries of the array into out: their count. */
static int entries_take(const uint8_t *arr, uint32_t count, uint32_t esize, uint64_t sectors,
                        struct gpt_part *out, size_t max)
{
    size_t n = 0;

    for (uint32_t i = 0; i < count && n < max; i++) {
        const uint8_t *e = arr + (size_t)i * esize;
        uint64_t first = le64(e + GPT_ENTRY_FIRST), last = le64(e + GPT_ENTRY_LAST);
        if (!memcmp(e, zero_guid, 16) || first > last || last >= sectors)
            continue;   /* unused, or pointing off the disk */
        out[n].index = i + 1;
        out[n].first_lba = first;
        out[n].last_lba = last;
        memcpy(out[n].type, e, 16);
        label_copy(e + GPT_ENTRY_NAME, out[n].label);
        n++;
    }
    return (int)n;
}

int gpt_read(gpt_read_fn read, void *dev, uint32_t sector_size, uint64_t sectors,
             struct gpt_part *out, size_t max)
{
    uint8_t *hdr = malloc(sector_size), *arr = NULL;
    uint32_t count, esize, arr_sectors;
    uint64_t lba;
    int ret = -EINVAL;

    if (!hdr)
        return -ENOMEM;
    if (sectors <= GPT_HEADER_LBA || (ret = read(dev, GPT_HEADER_LBA, 1, hdr)) < 0)
        goto out;
    ret = -EINVAL;
    if (!header_ok(hdr, sector_size))
        goto out;
    lba = le64(hdr + GPT_OFF_ENTRIES_LBA);
    count = le32(hdr + GPT_OFF_ENTRY_COUNT);
    esize = le32(hdr + GPT_OFF_ENTRY_SIZE);
    if (count == 0) {
        ret = 0;
        goto out;
    }
    if (esize < GPT_ENTRY_MIN || esize % 8 || esize > sector_size || count > GPT_ENTRIES_MAX)
        goto out;
    arr_sectors = (uint32_t)(((uint64_t)count * esize + sector_size - 1) / sector_size);
    if (lba >= sectors || arr_sectors > sectors - lba || !(arr = malloc((size_t)arr_sectors * sector_size)))
        goto out;
    if ((ret = read(dev, lba, arr_sectors, arr)) < 0)
        goto out;
    ret = -EINVAL;
    if (crc32(arr, (size_t)count * esize) != le32(hdr + GPT_OFF_ENTRIES_CRC))
        goto out;
    ret = entries_take(arr, count, esize, sectors, out, max);
out:
    free(arr);
    free(hdr);
    return ret;
}
