/* kernel/fs/initfs_file.h: files and directories of the initfs as open
 * files (read-only). */
#ifndef ANVIL_FS_INITFS_FILE_H
#define ANVIL_FS_INITFS_FILE_H

#include "fs/file.h"
#include "fs/initfs.h"

struct file *initfs_file_open(const struct initfs_node *n, unsigned flags);
void initfs_node_stat(const struct initfs_node *n, struct kstat *st);

#endif
