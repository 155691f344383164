/* services/lib/gpt.h: reading a disk's GUID partition table (UEFI 2.10
 * §5.3), shared by the block drivers. Disk bytes are untrusted: a header or
 * entry array whose CRC, sizes or ranges do not check out is rejected. */
#ifndef ANVIL_SERVICES_LIB_GPT_H
#define ANVIL_SERVICES_LIB_GPT_H

#include <stddef.h>
#include <stdint.h>

#define GPT_PARTS_MAX 32
#define GPT_LABEL_MAX 36          /* UTF-16 code units in an entry's name */

struct gpt_part {
    unsigned index;               /* the entry's number, from 1 (0p2 is entry 2) */
    uint64_t first_lba, last_lba; /* inclusive */
    uint8_t type[16];
    char label[GPT_LABEL_MAX + 1];  /* ASCII; other characters become '?' */
};

/* Read n sectors from lba into buf: 0 or -errno. */
typedef int (*gpt_read_fn)(void *dev, uint64_t lba, size_t n, void *buf);

/* The used entries of the primary table of a disk of sectors sectors of
 * sector_size bytes into out (at most max): their count, or -EINVAL when
 * there is no valid GPT, or the read's -errno. */
int gpt_read(gpt_read_fn read, void *dev, uint32_t sector_size, uint64_t sectors,
             struct gpt_part *out, size_t max);

#endif
