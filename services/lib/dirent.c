/* services/lib/dirent.c: building ANVIL_OP_GETDENTS replies. */
#include <string.h>

#include "svc.h"

#define DIRENT_HEADER 20   /* struct anvil_dirent without its name */
#define NAME_MAX_LEN 255

size_t svc_dirent(void *buf, size_t room, uint64_t ino, uint8_t type, const char *name,
                  uint64_t next)
{
    size_t nl = strlen(name), len;
    struct anvil_dirent *d = buf;

    if (nl > NAME_MAX_LEN)
        nl = NAME_MAX_LEN;
    len = (DIRENT_HEADER + nl + 1 + 7) & ~(size_t)7;
    if (len > room)
        return 0;
    memset(d, 0, len);
    d->ino = ino;
    d->next = next;
    d->reclen = (uint16_t)len;
    d->type = type;
    d->namelen = (uint8_t)nl;
    memcpy(d->name, name, nl);
    return len;
}
