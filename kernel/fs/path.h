/* kernel/fs/path.h: path normalisation: a path made absolute against a
 * directory, "." and ".." removed. Routing paths to schemes is
 * scheme/route.c. */
#ifndef ANVIL_FS_PATH_H
#define ANVIL_FS_PATH_H

#include <stddef.h>

#include "fs/file.h"
#include "fs/initfs.h"

#define PATH_MAX_LEN 256

/* Join path onto cwd and normalise into out (PATH_MAX_LEN bytes):
 * 0, -ENOENT (empty), -ENAMETOOLONG. */
int path_resolve(const char *cwd, const char *path, char *out);
#endif
