/* kernel/scheme/grantcheck.c: ranges in privileged scheme paths (see
 * grantcheck.h). */
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "scheme/grantcheck.h"

int grant_parse_range(const char *path, uint64_t *start, uint64_t *end)
{
    const char *p = path;
    uint64_t n;

    if (!caps_parse_number(&p, start))
        return -EINVAL;
    *end = *start;
    if (*p == '-') {
        p++;
        if (!caps_parse_number(&p, end) || *end < *start)
            return -EINVAL;
    } else if (*p == '/' || strncmp(p, "?size=", 6) == 0) {
        p += *p == '/' ? 1 : 6;
        if (!caps_parse_number(&p, &n) || n == 0 || *start + n - 1 < *start)
            return -EINVAL;
        *end = *start + n - 1;
    }
    return *p ? -EINVAL : 0;
}

int grant_check(uint32_t kind, uint64_t start, uint64_t end)
{
    return caps_granted(&proc_current()->caps, kind, start, end) ? 0 : -EACCES;
}
