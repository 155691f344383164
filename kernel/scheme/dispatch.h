/* kernel/scheme/dispatch.h: path operations on routed paths: resolve the
 * scheme (namespace checked) and call its ops. The running process's
 * namespace applies. */
#ifndef ANVIL_SCHEME_DISPATCH_H
#define ANVIL_SCHEME_DISPATCH_H

#include "scheme/route.h"

int scheme_open_path(struct scheme_path *sp, unsigned flags, unsigned mode, struct file **out);
int scheme_stat_path(struct scheme_path *sp, struct kstat *st);
int scheme_unlink_path(struct scheme_path *sp);
int scheme_mkdir_path(struct scheme_path *sp, unsigned mode);
int scheme_rmdir_path(struct scheme_path *sp);
/* Both in one scheme, else -EXDEV. */
int scheme_rename_path(struct scheme_path *from, struct scheme_path *to);

#endif
