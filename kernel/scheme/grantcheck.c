/* kernel/scheme/grantcheck.c: ranges in privileged scheme paths (see
 * grantcheck.h). */
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "scheme/grantcheck.h"

/* A number at *p (0x hex or decimal), advancing *p: 0 or -EINVAL. */
static int number(const char **p, uint64_t *out)
{
    const char *s = *p;
    unsigned base = 10;
    uint64_t v = 0;
    int digits = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (;; s++, digits++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return -EINVAL;
        v = v * base + d;
    }
    *p = s;
    *out = v;
    return digits ? 0 : -EINVAL;
}

int grant_parse_range(const char *path, uint64_t *start, uint64_t *end)
{
    const char *p = path;
    uint64_t n;

    if (number(&p, start) < 0)
        return -EINVAL;
    *end = *start;
    if (*p == '-') {
        p++;
        if (number(&p, end) < 0 || *end < *start)
            return -EINVAL;
    } else if (*p == '/' || strncmp(p, "?size=", 6) == 0) {
        p += *p == '/' ? 1 : 6;
        if (number(&p, &n) < 0 || n == 0 || *start + n - 1 < *start)
            return -EINVAL;
        *end = *start + n - 1;
    }
    return *p ? -EINVAL : 0;
}

int grant_check(uint32_t kind, uint64_t start, uint64_t end)
{
    return caps_granted(&proc_current()->caps, kind, start, end) ? 0 : -EACCES;
}
