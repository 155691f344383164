/* services/lib/register.c: taking a scheme name (open ":name" with O_CREAT),
 * and describing what it holds for /proc/mounts. */
#include <anvil/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "svc.h"

#define MOUNT_SPACE "\\040"   /* how /proc/mounts writes a space (Linux's escape) */

int svc_register(const char *name)
{
    char path[ANVIL_SCHEME_NAME_MAX + 2];
    int fd;

    if (snprintf(path, sizeof(path), ":%s", name) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    return fd < 0 ? -errno : fd;
}

/* src into out (size bytes) with spaces escaped: 0, or -ENAMETOOLONG. */
static int escape_spaces(const char *src, char *out, size_t size)
{
    size_t n = 0;

    for (; *src; src++) {
        const char *piece = *src == ' ' ? MOUNT_SPACE : (char[2]){*src, '\0'};
        size_t l = strlen(piece);
        if (n + l >= size)
            return -ENAMETOOLONG;
        memcpy(out + n, piece, l);
        n += l;
    }
    out[n] = '\0';
    return 0;
}

int svc_describe(const char *scheme, const char *source, const char *type)
{
    struct anvil_mount_desc d = {0};

    if (strlen(scheme) >= sizeof(d.scheme) || strlen(type) >= sizeof(d.type) ||
        escape_spaces(source, d.source, sizeof(d.source)) < 0)
        return -ENAMETOOLONG;
    strcpy(d.scheme, scheme);
    strcpy(d.type, type);
    return syscall(ANVIL_SYS_MOUNT_DESCRIBE, &d) < 0 ? -errno : 0;
}
