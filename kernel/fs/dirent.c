/* kernel/fs/dirent.c: getdents64 records (see dirent.h). */
#include "fs/dirent.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"

#define DIRENT_HEADER 19   /* d_ino 8, d_off 8, d_reclen 2, d_type 1 (linux/dirent.h) */
#define DIRENT_ALIGN 8

long dirent_put(uintptr_t ubuf, size_t room, uint64_t ino, uint64_t next, uint8_t type,
                const char *name, size_t nlen)
{
    uint8_t rec[DIRENT_HEADER + DIRENT_NAME_MAX + 1 + DIRENT_ALIGN];
    size_t reclen;
    uint16_t rl;

    if (nlen > DIRENT_NAME_MAX)
        nlen = DIRENT_NAME_MAX;
    reclen = (DIRENT_HEADER + nlen + 1 + DIRENT_ALIGN - 1) & ~(size_t)(DIRENT_ALIGN - 1);
    if (reclen > room)
        return 0;
    rl = (uint16_t)reclen;
    memset(rec, 0, reclen);
    memcpy(rec, &ino, 8);
    memcpy(rec + 8, &next, 8);
    memcpy(rec + 16, &rl, 2);
    rec[18] = type;
    memcpy(rec + DIRENT_HEADER, name, nlen);
    return copy_to_user(ubuf, rec, reclen) < 0 ? -EFAULT : (long)reclen;
}
