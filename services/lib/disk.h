/* services/lib/disk.h: what a block driver gives the disk scheme library:
 * its geometry, a DMA bounce buffer and sector transfers into and out of
 * it. The library serves disk.NAME: (whole disk and GPT partitions, byte
 * offsets with read-modify-write at unaligned edges, fsync as a flush);
 * docs/drivers.md has the paths. */
#ifndef ANVIL_SERVICES_LIB_DISK_H
#define ANVIL_SERVICES_LIB_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct disk_dev {
    uint32_t sector_size;
    uint64_t sectors;
    size_t max_sectors;       /* per transfer; the bounce buffer holds this many */
    uint8_t *bounce;          /* the driver's DMA buffer, mapped */
    /* Move n sectors at lba between the disk and bounce + boff: 0 or -EIO. */
    int (*transfer)(struct disk_dev *d, bool write, uint64_t lba, size_t n, size_t boff);
    /* Make written sectors durable (the device's cache flush): 0 or -EIO. */
    int (*flush)(struct disk_dev *d);
};

/* Bytes [off, off + len) of the disk into buf, or from buf: the count (short
 * only after an error), or -EIO when nothing moved. The caller clamps to
 * the disk. */
long disk_read(struct disk_dev *d, void *buf, size_t len, uint64_t off);
long disk_write(struct disk_dev *d, const void *buf, size_t len, uint64_t off);

/* Register scheme (disk.NAME), read the GPT and serve it forever: returns
 * only when that fails (-errno). */
int disk_serve(const char *scheme, struct disk_dev *d);

#endif
