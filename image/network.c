/* image/network.c: the [network] section (docs/network.md). Values are
 * checked here, so netd gets only what it can read: dotted IPv4 addresses,
 * a prefix length, or the words "dhcp" and "none". */
#include "network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* "A.B.C.D" with each part 0..255 (and, with prefix, "/N" for N in 1..32). */
static bool ipv4_ok(const char *s, bool prefix)
{
    unsigned a, b, cc, d, n = 32;
    int used = 0;

    if (prefix ? sscanf(s, "%3u.%3u.%3u.%3u/%2u%n", &a, &b, &cc, &d, &n, &used) != 5
               : sscanf(s, "%3u.%3u.%3u.%3u%n", &a, &b, &cc, &d, &used) != 4)
        return false;
    return s[used] == '\0' && a < 256 && b < 256 && cc < 256 && d < 256 && n >= 1 && n <= 32 &&
           !strchr(s, ' ') && !strchr(s, '+') && !strchr(s, '-');
}

/* key: absent keeps *value; else it must be word or an address. */
static void get_address(struct mf_ctx *c, const struct toml_value *t, const char *key,
                        const char *word, bool prefix, char **value)
{
    char *s = NULL;

    mf_get_string(c, t, "network", key, &s);
    if (!s)
        return;
    if (strcmp(s, word) && !ipv4_ok(s, prefix)) {
        mf_error(c, toml_get(t, key)->pos, "network.%s must be \"%s\" or an IPv4 address%s, "
                 "as in \"%s\"", key, word, prefix ? " with its prefix length" : "",
                 prefix ? "10.0.2.15/24" : "10.0.2.2");
        free(s);
        return;
    }
    free(*value);
    *value = s;
}

void network_section(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    static const char *const known[] = {"address", "gateway", "dns", NULL};

    mf_check_keys(c, t, "network", known);
    get_address(c, t, "address", NETWORK_DHCP, true, &m->net_address);
    get_address(c, t, "gateway", NETWORK_NONE, false, &m->net_gateway);
    get_address(c, t, "dns", NETWORK_NONE, false, &m->net_dns);
}

const char *network_arg(const struct manifest *m, const char *word)
{
    if (!strcmp(word, "${network.address}"))
        return m->net_address;
    if (!strcmp(word, "${network.gateway}"))
        return m->net_gateway;
    if (!strcmp(word, "${network.dns}"))
        return m->net_dns;
    return NULL;
}
