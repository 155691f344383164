/* services/fatd/blk.h: where the file system's bytes live: a block source with
 * byte-addressed reads and writes and a flush that makes written bytes durable.
 * Backends: a file or a scheme path (host image, disk.NAME:PART) and RAM. */
#ifndef ANVIL_SERVICES_FATD_BLK_H
#define ANVIL_SERVICES_FATD_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blk;

struct blk_ops {
    /* Whole transfers only: 0 or -errno (a short transfer is -EIO). */
    int (*read)(struct blk *b, uint64_t off, void *buf, size_t len);
    int (*write)(struct blk *b, uint64_t off, const void *buf, size_t len);
    /* Everything written so far is durable once this returns 0. */
    int (*flush)(struct blk *b);
    void (*close)(struct blk *b);
};

struct blk {
    const struct blk_ops *ops;
    uint64_t size;          /* bytes */
    bool readonly;
    void *priv;             /* the backend's */
};

/* pread/pwrite on path: a host file or a scheme path such as disk.vda:2. */
int blk_open_file(const char *path, bool readonly, struct blk **out);
/* The whole of path read into memory; writes stay there (live mode). */
int blk_open_ram(const char *path, struct blk **out);

#endif
