/* kernel/fs/path.h: the one place paths are resolved. A path is made
 * absolute against the working directory and normalised ("." and ".."
 * removed), then routed: /dev/null, /dev/console and /dev/tty are kernel
 * devices, everything else is the initfs (read-only). The scheme router of
 * the next issue replaces the routing step. */
#ifndef ANVIL_FS_PATH_H
#define ANVIL_FS_PATH_H

#include <stddef.h>

#include "fs/file.h"
#include "fs/initfs.h"

#define PATH_MAX_LEN 256

/* Join path onto cwd and normalise into out (PATH_MAX_LEN bytes):
 * 0, -ENOENT (empty), -ENAMETOOLONG. */
int path_resolve(const char *cwd, const char *path, char *out);
/* Open a canonical path: 0 and *out, or -ENOENT, -EROFS, -ENOTDIR, -EISDIR... */
int path_open(const char *abs, unsigned flags, struct file **out);
/* stat a canonical path. */
int path_stat(const char *abs, struct kstat *st);

#endif
