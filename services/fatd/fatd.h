/* services/fatd/fatd.h: the file: scheme on a FAT32 volume: what the daemon's
 * halves share (walk.c: paths and symbolic links; ops.c: handles; paths.c:
 * operations by path). The volume itself is the core's (fat.h). */
#ifndef ANVIL_SERVICES_FATD_FATD_H
#define ANVIL_SERVICES_FATD_FATD_H

#include <stdbool.h>

#include "blk.h"
#include "fat.h"
#include "meta.h"
#include "svc.h"

#define FATD_PATH_MAX 4096
#define FATD_MAGIC 0x4d44u      /* statfs f_type: Linux's MSDOS_SUPER_MAGIC */

/* The mounted volume (written at start, then used by one thread). */
extern struct fat_vol *fatd_vol;
extern const struct scheme_ops fatd_ops;

/* Where a path leads: the directory holding the last component and what it
 * names (NULL when missing); both held until fatd_where_put. */
struct fatd_where {
    struct fat_node *dir;
    struct fat_node *node;
    char leaf[FAT_NAME_BYTES + 1];   /* its name in dir ("" for the root) */
};

/* Resolve path, following symbolic links in the middle and, when follow, at
 * the end: 0 (node may be NULL), -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EIO. */
int fatd_resolve(const char *path, bool follow, struct fatd_where *w);
/* As fatd_resolve, but the path must exist (-ENOENT). */
int fatd_existing(const char *path, bool follow, struct fatd_where *w);
void fatd_where_put(struct fatd_where *w);
/* The Unix metadata of the node named leaf in dir. */
int fatd_meta(struct fat_node *dir, const char *leaf, const struct fat_node *n,
              struct fat_meta *m);
void fatd_stat_fill(const struct fat_node *n, const struct fat_meta *m, struct anvil_stat *st);
/* Apply a SETATTR to n (named leaf in dir). */
long fatd_setattr_apply(struct fat_node *dir, const char *leaf, struct fat_node *n,
                        const struct anvil_setattr *a);
long fatd_statfs_fill(struct anvil_statfs *st);
int64_t fatd_now(void);

long fatd_unlink_path(struct svc_ctx *c, const char *path);
long fatd_mkdir_path(struct svc_ctx *c, const char *path, unsigned mode);
long fatd_rmdir_path(struct svc_ctx *c, const char *path);
long fatd_rename_path(struct svc_ctx *c, const char *from, const char *to);
long fatd_stat_path(struct svc_ctx *c, const char *path, int flags, struct anvil_stat *st);
long fatd_setattr_path(struct svc_ctx *c, const char *path, int flags,
                       const struct anvil_setattr *a);
long fatd_symlink_path(struct svc_ctx *c, const char *target, const char *path);
long fatd_readlink_path(struct svc_ctx *c, const char *path, char *buf, size_t len);
long fatd_link_path(struct svc_ctx *c, const char *from, const char *to, int flags);
long fatd_statfs_path(struct svc_ctx *c, const char *path, struct anvil_statfs *st);

/* main.c: mount the volume on b, register scheme, describe it as source and
 * serve until SIGTERM; the outcome of the start (0 or -errno) goes to
 * ready_fd first (when >= 0). Returns the exit status. */
int fatd_run(struct blk *b, const char *source, const char *scheme, int ready_fd);
/* Tell ready_fd (when >= 0) err and close it; the exit status for err. */
int fatd_ready(int fd, int err);
/* mountsrv.c: serve mount(2)'s requests as scheme until SIGTERM. */
int fatd_mount_service(const char *scheme);

#endif
