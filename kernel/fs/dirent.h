/* kernel/fs/dirent.h: writing getdents64 records (struct linux_dirent64)
 * into user memory, for every kind of directory. */
#ifndef ANVIL_FS_DIRENT_H
#define ANVIL_FS_DIRENT_H

#include <stddef.h>
#include <stdint.h>

#define DIRENT_NAME_MAX 255
/* d_type values (Linux's DT_*). */
#define DIRENT_DT_DIR 4
#define DIRENT_DT_REG 8
#define DIRENT_DT_LNK 10

/* One record for name (nlen bytes, cut at DIRENT_NAME_MAX) at ubuf with room
 * bytes left; next is the d_off a later getdents resumes from. Its length,
 * 0 when it does not fit, or -EFAULT. */
long dirent_put(uintptr_t ubuf, size_t room, uint64_t ino, uint64_t next, uint8_t type,
                const char *name, size_t nlen);

#endif
