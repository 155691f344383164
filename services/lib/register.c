/* services/lib/register.c: taking a scheme name (open ":name" with O_CREAT). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "svc.h"

int svc_register(const char *name)
{
    char path[ANVIL_SCHEME_NAME_MAX + 2];
    int fd;

    if (snprintf(path, sizeof(path), ":%s", name) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    return fd < 0 ? -errno : fd;
}
