/* kernel/fs/initfs.h: the boot archive (a cpio "newc" archive, cpio(5),
 * built by mkimage), indexed once and then read in place. */
#ifndef ANVIL_FS_INITFS_H
#define ANVIL_FS_INITFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct initfs_node {
    const char *name;        /* without leading slash; "" is the root */
    size_t name_len;
    uint32_t mode;           /* S_IF* | permission bits */
    uint32_t ino;
    uint32_t mtime;
    const uint8_t *data;
    size_t size;
};

/* Index the archive at [data, data + size). 0, or -EINVAL if malformed
 * (what was indexed before the fault stays usable). */
int initfs_init(const uint8_t *data, size_t size);
/* The node for a canonical absolute path ("/bin/x"), or NULL. */
const struct initfs_node *initfs_lookup(const char *path);
/* The node path names, following symbolic links in the archive (in the
 * middle always, the last one when follow; absolute targets start at the
 * archive's root): 0, -ENOENT, -ENOTDIR, -ELOOP (more than
 * INITFS_SYMLINK_LOOPS), -ENAMETOOLONG. */
#define INITFS_SYMLINK_LOOPS 40
int initfs_resolve(const char *path, bool follow, const struct initfs_node **out);
/* The i-th entry directly inside dir, or NULL past the end. */
const struct initfs_node *initfs_child(const struct initfs_node *dir, size_t *cursor);
size_t initfs_count(void);

#endif
