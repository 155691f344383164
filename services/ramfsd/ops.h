/* services/ramfsd/ops.h: the file: scheme's callback table, and what its two
 * halves share (ops.c: handles; paths.c: operations by path). */
#ifndef ANVIL_SERVICES_RAMFSD_OPS_H
#define ANVIL_SERVICES_RAMFSD_OPS_H

#include "ramfs.h"
#include "svc.h"

extern const struct scheme_ops ramfs_ops;

/* Fill st from n. */
void ramfs_stat_fill(const struct ramfs_node *n, struct anvil_stat *st);
/* Apply a SETATTR to n: 0 or -errno. */
long ramfs_setattr_apply(struct ramfs_node *n, const struct anvil_setattr *a);
/* The file system's numbers for statfs. */
long ramfs_statfs_fill(struct anvil_statfs *st);

long ramfs_unlink_path(struct svc_ctx *c, const char *path);
long ramfs_mkdir_path(struct svc_ctx *c, const char *path, unsigned mode);
long ramfs_rmdir_path(struct svc_ctx *c, const char *path);
long ramfs_rename_path(struct svc_ctx *c, const char *from, const char *to);
long ramfs_stat_path(struct svc_ctx *c, const char *path, int flags, struct anvil_stat *st);
long ramfs_setattr_path(struct svc_ctx *c, const char *path, int flags, const struct anvil_setattr *a);
long ramfs_symlink_path(struct svc_ctx *c, const char *target, const char *path);
long ramfs_readlink_path(struct svc_ctx *c, const char *path, char *buf, size_t len);
long ramfs_link_path(struct svc_ctx *c, const char *from, const char *to, int flags);
long ramfs_statfs_path(struct svc_ctx *c, const char *path, struct anvil_statfs *st);

#endif
