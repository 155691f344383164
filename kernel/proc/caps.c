/* kernel/proc/caps.c: namespaces and grants (see caps.h). Narrowing checks
 * the whole request first, then replaces the set, so a refused call changes
 * nothing. */
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/caps.h"

void caps_init_all(struct caps *c)
{
    memset(c, 0, sizeof(*c));
    c->all_names = true;
    c->all_grants = true;
}

bool caps_allows(const struct caps *c, const char *name)
{
    if (c->all_names)
        return true;
    for (unsigned i = 0; i < c->name_count; i++)
        if (strcmp(c->names[i], name) == 0)
            return true;
    return false;
}

bool caps_granted(const struct caps *c, uint32_t kind, uint64_t start, uint64_t end)
{
    if (c->all_grants)
        return true;
    for (unsigned i = 0; i < c->grant_count; i++) {
        const struct anvil_grant *g = &c->grants[i];
        if (g->kind == kind && g->start <= start && end <= g->end)
            return true;
    }
    return false;
}

static bool is_sep(char ch)
{
    return ch == ' ' || ch == ',' || ch == '\0' || ch == '\n';
}

/* Split list into names (in out); -EINVAL, -E2BIG, or the count. */
static int split_names(const char *list, size_t len, char out[][CAPS_NAME_MAX + 1], bool *star)
{
    int n = 0;
    size_t i = 0;

    *star = false;
    while (i < len) {
        size_t start = i;
        while (i < len && !is_sep(list[i]))
            i++;
        size_t wl = i - start;
        if (wl == 1 && list[start] == '*')
            *star = true;
        else if (wl > CAPS_NAME_MAX)
            return -EINVAL;
        else if (wl > 0) {
            if (n == ANVIL_NS_NAMES_MAX)
                return -E2BIG;
            memcpy(out[n], list + start, wl);
            out[n++][wl] = '\0';
        }
        i++;
    }
    return n;
}

int caps_restrict_names(struct caps *c, const char *list, size_t len)
{
    static char names[ANVIL_NS_NAMES_MAX][CAPS_NAME_MAX + 1];   /* one CPU, no preemption */
    bool star;
    int n = split_names(list, len, names, &star);

    if (n < 0)
        return n;
    if (star)
        return 0;
    for (int i = 0; i < n; i++)
        if (!caps_allows(c, names[i]))
            return -EPERM;
    memcpy(c->names, names, sizeof(names));
    c->name_count = (uint8_t)n;
    c->all_names = false;
    return 0;
}

int caps_restrict_grants(struct caps *c, const struct anvil_grant *g, size_t n)
{
    if (n > ANVIL_GRANTS_MAX)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (g[i].kind < ANVIL_GRANT_MEMORY || g[i].kind > ANVIL_GRANT_POWER || g[i].start > g[i].end)
            return -EINVAL;
        if (!caps_granted(c, g[i].kind, g[i].start, g[i].end))
            return -EPERM;
    }
    memcpy(c->grants, g, n * sizeof(*g));
    c->grant_count = (uint8_t)n;
    c->all_grants = false;
    return 0;
}

long caps_format_names(const struct caps *c, char *buf, size_t size)
{
    size_t n = 0;

    if (c->all_names) {
        if (size < 3)
            return -ERANGE;
        memcpy(buf, "*\n", 3);
        return 2;
    }
    for (unsigned i = 0; i < c->name_count; i++) {
        size_t l = strlen(c->names[i]);
        if (n + l + 2 > size)
            return -ERANGE;
        if (i)
            buf[n++] = ' ';
        memcpy(buf + n, c->names[i], l);
        n += l;
    }
    if (n + 2 > size)
        return -ERANGE;
    buf[n++] = '\n';
    buf[n] = '\0';
    return (long)n;
}
