/* kernel/cmdline.c: reading options from the kernel command line. The last
 * occurrence of a key wins, so options appended by a tool override earlier ones. */
#include "cmdline.h"
#include "lib/string.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* If word [w, w + len) is key or key=..., return its value and length. */
static const char *match_key(const char *w, size_t len, const char *key, size_t *vlen)
{
    size_t klen = strlen(key);

    if (len < klen || strncmp(w, key, klen) != 0)
        return NULL;
    if (len == klen) {
        *vlen = 0;
        return w + len;
    }
    if (w[klen] != '=')
        return NULL;
    *vlen = len - klen - 1;
    return w + klen + 1;
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
    const char *found = NULL;
    size_t found_len = 0;

    for (const char *p = cmdline; *p;) {
        const char *w;
        size_t vlen;

        while (is_space(*p))
            p++;
        w = p;
        while (*p && !is_space(*p))
            p++;
        if (p - w == 2 && w[0] == '-' && w[1] == '-')
            break;   /* the rest is the init program's command line */
        const char *v = match_key(w, (size_t)(p - w), key, &vlen);
        if (v) {
            found = v;
            found_len = vlen;
        }
    }
    if (!found || found_len >= size)
        return false;
    memcpy(buf, found, found_len);
    buf[found_len] = '\0';
    return true;
}

int cmdline_init_argv(const char *cmdline, char *buf, size_t size, const char **argv, int max)
{
    const char *p = cmdline;
    size_t used = 0;
    int argc = 0;
    bool after = false;

    while (*p) {
        const char *w;
        while (is_space(*p))
            p++;
        w = p;
        while (*p && !is_space(*p))
            p++;
        size_t len = (size_t)(p - w);
        if (len == 0)
            break;
        if (!after) {
            after = len == 2 && w[0] == '-' && w[1] == '-';
            continue;
        }
        if (argc == max || used + len + 1 > size)
            return -1;
        memcpy(buf + used, w, len);
        buf[used + len] = '\0';
        argv[argc++] = buf + used;
        used += len + 1;
    }
    return argc;
}
