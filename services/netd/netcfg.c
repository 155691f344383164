/* services/netd/netcfg.c: the netcfg: scheme: the interface's state as
 * lines of "key value", a snapshot taken at open (docs/network.md):
 *   address 10.0.2.15 / netmask 255.255.255.0 / gateway 10.0.2.2 /
 *   dns 10.0.2.3 / mac 52:54:00:12:34:56 / mode dhcp / state bound */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lwip/dns.h"
#include "netd.h"
#include "svc.h"

#define HANDLES_MAX 32
#define TEXT_MAX 256

static char *texts[HANDLES_MAX];   /* each open handle's snapshot */

static void snapshot(char *buf, size_t len)
{
    const uint8_t *m = netd_if.hwaddr;
    char a[16], mask[16], gw[16], dns[16];
    bool up = !ip4_addr_isany_val(*netif_ip4_addr(&netd_if));

    ip4addr_ntoa_r(netif_ip4_addr(&netd_if), a, sizeof(a));
    ip4addr_ntoa_r(netif_ip4_netmask(&netd_if), mask, sizeof(mask));
    ip4addr_ntoa_r(netif_ip4_gw(&netd_if), gw, sizeof(gw));
    ip4addr_ntoa_r(ip_2_ip4(dns_getserver(0)), dns, sizeof(dns));
    snprintf(buf, len,
             "address %s\nnetmask %s\ngateway %s\ndns %s\nmac %02x:%02x:%02x:%02x:%02x:%02x\n"
             "mode %s\nstate %s\n",
             a, mask, gw, dns, m[0], m[1], m[2], m[3], m[4], m[5], netd_dhcp ? "dhcp" : "static",
             up ? "bound" : netd_card ? "waiting" : "nocard");
}

static long cfg_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    (void)c;
    (void)mode;
    if (*path)
        return -ENOENT;
    if ((flags & 3) != 0)   /* O_RDONLY */
        return -EACCES;
    for (int i = 0; i < HANDLES_MAX; i++)
        if (!texts[i]) {
            if (!(texts[i] = malloc(TEXT_MAX)))
                return -ENOMEM;
            snapshot(texts[i], TEXT_MAX);
            return i;
        }
    return -ENFILE;
}

static const char *text_get(uint64_t h)
{
    return h < HANDLES_MAX ? texts[h] : NULL;
}

static long cfg_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    const char *t = text_get(h);
    size_t tl;

    (void)c;
    if (!t)
        return -EBADF;
    tl = strlen(t);
    if (off >= tl)
        return 0;
    if (len > tl - off)
        len = tl - off;
    memcpy(buf, t + off, len);
    return (long)len;
}

static long cfg_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    const char *t = text_get(h);

    (void)c;
    if (!t)
        return -EBADF;
    st->mode = S_IFREG | 0444;
    st->size = strlen(t);
    return 0;
}

static long cfg_close(struct svc_ctx *c, uint64_t h)
{
    (void)c;
    if (!text_get(h))
        return -EBADF;
    free(texts[h]);
    texts[h] = NULL;
    return 0;
}

const struct scheme_ops netcfg_ops = {
    .open = cfg_open, .read = cfg_read, .fstat = cfg_fstat, .close = cfg_close,
};
