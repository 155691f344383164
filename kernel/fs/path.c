/* kernel/fs/path.c: path normalisation (see path.h). */
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/string.h"

/* Append component [c, c + len) to out (length *n), handling "." and "..". */
static int push(char *out, size_t *n, const char *c, size_t len)
{
    if (len == 0 || (len == 1 && c[0] == '.'))
        return 0;
    if (len == 2 && c[0] == '.' && c[1] == '.') {
        while (*n > 0 && out[*n - 1] != '/')
            (*n)--;
        if (*n > 0)
            (*n)--;
        return 0;
    }
    if (*n + 1 + len >= PATH_MAX_LEN)
        return -ENAMETOOLONG;
    out[(*n)++] = '/';
    memcpy(out + *n, c, len);
    *n += len;
    return 0;
}

static int push_all(char *out, size_t *n, const char *p)
{
    while (*p) {
        const char *c = p;
        while (*p && *p != '/')
            p++;
        int err = push(out, n, c, (size_t)(p - c));
        if (err)
            return err;
        while (*p == '/')
            p++;
    }
    return 0;
}

int path_resolve(const char *cwd, const char *path, char *out)
{
    size_t n = 0;
    int err;

    if (path[0] == '\0')
        return -ENOENT;
    if (path[0] != '/' && (err = push_all(out, &n, cwd)) < 0)
        return err;
    if ((err = push_all(out, &n, path)) < 0)
        return err;
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return 0;
}
