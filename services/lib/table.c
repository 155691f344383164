/* services/lib/table.c: small helpers daemons share: a table that grows by
 * doubling (handles), and splitting a path into its components. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svc.h"

int svc_grow(void **table, size_t *count, size_t elem, size_t first, size_t max)
{
    size_t n = *count ? *count * 2 : first;
    char *bigger;

    if (n > max)
        return -ENFILE;
    if (!(bigger = realloc(*table, n * elem)))
        return -ENOMEM;
    memset(bigger + *count * elem, 0, (n - *count) * elem);
    *table = bigger;
    *count = n;
    return 0;
}

int svc_path_next(const char *path, size_t *pos, char *name, size_t max, bool *last)
{
    const char *p = path + *pos;
    size_t len = strcspn(p, "/");

    if (len > max)
        return -ENAMETOOLONG;
    memcpy(name, p, len);
    name[len] = '\0';
    p += len;
    while (*p == '/')
        p++;
    *pos = (size_t)(p - path);
    *last = *p == '\0';
    return 0;
}
