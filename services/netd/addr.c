/* services/netd/addr.c: IPv4 addresses and ports in paths and arguments,
 * read strictly: four decimal numbers 0..255 without leading zeros, no
 * shorthand forms (inet_aton's "10.1" is refused), ports in range. */
#include <stddef.h>
#include <string.h>

#include "netd.h"

/* A decimal number of 1..digits digits at s[*i], at most max: true and *v. */
static bool number(const char *s, size_t len, size_t *i, unsigned max, unsigned *v)
{
    size_t start = *i;

    *v = 0;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
        if (*i - start >= 5 || (*i > start && s[start] == '0'))
            return false;   /* too long, or a leading zero */
        *v = *v * 10 + (unsigned)(s[*i] - '0');
        (*i)++;
    }
    return *i > start && *v <= max;
}

bool addr_parse(const char *s, size_t len, ip4_addr_t *a)
{
    unsigned b[4];
    size_t i = 0;

    for (int k = 0; k < 4; k++) {
        if (k && (i >= len || s[i++] != '.'))
            return false;
        if (!number(s, len, &i, 255, &b[k]))
            return false;
    }
    if (i != len)
        return false;
    IP4_ADDR(a, b[0], b[1], b[2], b[3]);
    return true;
}

bool addr_port_parse(const char *s, ip4_addr_t *a, uint16_t *port, unsigned lo)
{
    const char *colon = strrchr(s, ':');
    size_t i = 0, plen;
    unsigned p;

    if (!colon || !addr_parse(s, (size_t)(colon - s), a))
        return false;
    plen = strlen(colon + 1);
    if (!number(colon + 1, plen, &i, 65535, &p) || i != plen || p < lo)
        return false;
    *port = (uint16_t)p;
    return true;
}

bool addr_bind_parse(const char *s, ip4_addr_t *a, uint16_t *port)
{
    size_t i = 0, len = strlen(s);
    unsigned p;

    if (strchr(s, ':'))
        return addr_port_parse(s, a, port, 0);
    if (!number(s, len, &i, 65535, &p) || i != len)
        return false;
    *a = *IP4_ADDR_ANY4;
    *port = (uint16_t)p;
    return true;
}
