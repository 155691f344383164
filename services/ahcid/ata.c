/* services/ahcid/ata.c: building the register FIS for each ATA command and
 * reading IDENTIFY DEVICE's words (ACS-3 §7.12.7, Table 45). Every word of
 * IDENTIFY is the disk's to choose, so each is checked before use. */
#include <errno.h>
#include <stddef.h>

#include "ata.h"

#define SECTOR_MIN 512u
#define SECTOR_MAX 4096u
#define IDENTIFY_BYTES 512
#define W_CMDSET2 83                   /* bit 10: 48-bit LBA; bit 13: FLUSH CACHE EXT */
#define CMDSET2_LBA48 (1u << 10)
#define CMDSET2_FLUSH_EXT (1u << 13)
#define W_LBA48 100                    /* 100..103: sectors, 48-bit addressing */
#define W_SECTOR_INFO 106              /* bit 14 set, 15 clear: valid; bit 12: long sectors */
#define SECTOR_INFO_VALID_MASK 0xc000u
#define SECTOR_INFO_VALID 0x4000u
#define SECTOR_INFO_LONG (1u << 12)
#define W_SECTOR_WORDS 117             /* 117..118: words per logical sector */
#define LBA48_LIMIT (1ull << 48)

static struct ahci_fis_h2d fis_make(uint8_t command, uint64_t lba, uint32_t count)
{
    return (struct ahci_fis_h2d){
        .type = AHCI_FIS_H2D, .flags = AHCI_FIS_C, .command = command,
        .device = ATA_DEVICE_LBA,
        .lba0 = (uint8_t)lba, .lba1 = (uint8_t)(lba >> 8), .lba2 = (uint8_t)(lba >> 16),
        .lba3 = (uint8_t)(lba >> 24), .lba4 = (uint8_t)(lba >> 32), .lba5 = (uint8_t)(lba >> 40),
        .count_lo = (uint8_t)count, .count_hi = (uint8_t)(count >> 8),   /* 65536 is 0 */
    };
}

/* The logical sector size in bytes IDENTIFY reports, or 0 for one we refuse. */
static uint32_t sector_size(const uint16_t *w)
{
    uint32_t size;

    if ((w[W_SECTOR_INFO] & SECTOR_INFO_VALID_MASK) != SECTOR_INFO_VALID ||
        !(w[W_SECTOR_INFO] & SECTOR_INFO_LONG))
        return SECTOR_MIN;
    size = 2 * (w[W_SECTOR_WORDS] | (uint32_t)w[W_SECTOR_WORDS + 1] << 16);
    if (size < SECTOR_MIN || size > SECTOR_MAX || (size & (size - 1)))
        return 0;
    return size;
}

int ata_identify(struct ahci_port *p, const struct dma_buf *buf, struct ata_disk *d)
{
    struct ahci_fis_h2d fis = fis_make(ATA_IDENTIFY, 0, 0);
    const uint16_t *w = buf->virt;

    fis.device = 0;
    if (buf->size < IDENTIFY_BYTES || ahci_port_run(p, &fis, buf->phys, IDENTIFY_BYTES, false) < 0)
        return -EIO;
    if (!(w[W_CMDSET2] & CMDSET2_LBA48))
        return -ENODEV;   /* READ DMA EXT needs it; every disk of this century has it */
    d->sectors = 0;
    for (int i = 3; i >= 0; i--)
        d->sectors = d->sectors << 16 | w[W_LBA48 + i];
    d->sector_size = sector_size(w);
    d->flush_ext = w[W_CMDSET2] & CMDSET2_FLUSH_EXT;
    if (!d->sector_size || !d->sectors || d->sectors >= LBA48_LIMIT)
        return -ENODEV;
    return 0;
}

int ata_rw(struct ahci_port *p, const struct ata_disk *d, bool write, uint64_t lba,
           uint32_t count, uint64_t phys)
{
    struct ahci_fis_h2d fis;

    if (!count || count > ATA_COUNT_MAX || lba >= d->sectors || count > d->sectors - lba)
        return -EIO;
    fis = fis_make(write ? ATA_WRITE_DMA_EXT : ATA_READ_DMA_EXT, lba, count);
    return ahci_port_run(p, &fis, phys, (size_t)count * d->sector_size, write);
}

int ata_flush(struct ahci_port *p, const struct ata_disk *d)
{
    /* FLUSH CACHE (E7h) is mandatory for disks without the EXT form. */
    struct ahci_fis_h2d fis = fis_make(d->flush_ext ? ATA_FLUSH_CACHE_EXT : ATA_FLUSH_CACHE, 0, 0);

    return ahci_port_run(p, &fis, 0, 0, false);
}
