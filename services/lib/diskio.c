/* services/lib/diskio.c: byte-addressed reads and writes over sector
 * transfers through the driver's bounce buffer. A write that starts or ends
 * inside a sector reads that sector first (read-modify-write), so callers
 * may use any offset and length. */
#include <errno.h>
#include <string.h>

#include "disk.h"

/* This round of [off, off + len): the bytes moved at most, and the sectors they touch. */
static size_t round_bytes(const struct disk_dev *d, uint64_t off, size_t len, size_t *secs)
{
    size_t head = (size_t)(off % d->sector_size);
    size_t n = d->max_sectors * d->sector_size - head;

    if (n > len)
        n = len;
    *secs = (head + n + d->sector_size - 1) / d->sector_size;
    return n;
}

long disk_read(struct disk_dev *d, void *buf, size_t len, uint64_t off)
{
    size_t done = 0, secs, n;

    while (done < len) {
        n = round_bytes(d, off + done, len - done, &secs);
        if (d->transfer(d, false, (off + done) / d->sector_size, secs, 0) < 0)
            return done ? (long)done : -EIO;
        memcpy((uint8_t *)buf + done, d->bounce + (off + done) % d->sector_size, n);
        done += n;
    }
    return (long)done;
}

/* Read the partly written first and last sectors of a round into the bounce buffer. */
static int edges_read(struct disk_dev *d, uint64_t lba, size_t secs, size_t head, size_t n)
{
    size_t tail = (head + n) % d->sector_size;

    if (head && d->transfer(d, false, lba, 1, 0) < 0)
        return -EIO;
    if (tail && (secs > 1 || !head) &&
        d->transfer(d, false, lba + secs - 1, 1, (secs - 1) * d->sector_size) < 0)
        return -EIO;
    return 0;
}

long disk_write(struct disk_dev *d, const void *buf, size_t len, uint64_t off)
{
    size_t done = 0, secs, n, head;
    uint64_t lba;

    while (done < len) {
        n = round_bytes(d, off + done, len - done, &secs);
        lba = (off + done) / d->sector_size;
        head = (size_t)((off + done) % d->sector_size);
        if (edges_read(d, lba, secs, head, n) < 0)
            return done ? (long)done : -EIO;
        memcpy(d->bounce + head, (const uint8_t *)buf + done, n);
        if (d->transfer(d, true, lba, secs, 0) < 0)
            return done ? (long)done : -EIO;
        done += n;
    }
    return (long)done;
}
