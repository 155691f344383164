/* kernel/scheme/dispatch.h: path operations on routed paths: resolve the
 * scheme (namespace checked) and call its ops. The running process's
 * namespace applies. */
#ifndef ANVIL_SCHEME_DISPATCH_H
#define ANVIL_SCHEME_DISPATCH_H

#include <anvil/scheme.h>

#include "scheme/route.h"

int scheme_open_path(struct scheme_path *sp, unsigned flags, unsigned mode, struct file **out);
int scheme_stat_path(struct scheme_path *sp, struct kstat *st);
/* stat with ANVIL_PATH_NOFOLLOW in flags: lstat. */
int scheme_stat_path_flags(struct scheme_path *sp, unsigned flags, struct kstat *st);
int scheme_setattr_path(struct scheme_path *sp, unsigned flags, const struct anvil_setattr *a);
int scheme_symlink_path(const char *target, struct scheme_path *sp);
/* The link's target into buf (no NUL): its length, -EINVAL when sp is no link. */
long scheme_readlink_path(struct scheme_path *sp, char *buf, size_t size);
/* Both in one scheme, else -EXDEV. */
int scheme_link_path(struct scheme_path *from, struct scheme_path *to, unsigned flags);
int scheme_statfs_path(struct scheme_path *sp, struct anvil_statfs *st);
/* The numbers statfs gives for a scheme that has none of its own. */
void scheme_statfs_generic(struct anvil_statfs *st);
int scheme_unlink_path(struct scheme_path *sp);
int scheme_mkdir_path(struct scheme_path *sp, unsigned mode);
int scheme_rmdir_path(struct scheme_path *sp);
/* Both in one scheme, else -EXDEV. */
int scheme_rename_path(struct scheme_path *from, struct scheme_path *to);

#endif
