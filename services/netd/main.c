/* services/netd/main.c: the TCP/IP service. lwIP's raw API (NO_SYS: no
 * threads) runs in one poll loop over the card's frame handle and netd's
 * schemes, tcp:, udp:, icmp: and netcfg:; between turns lwIP's timers run
 * and loopback packets are delivered. The card is the first of the -n
 * schemes that opens (net.virtio, then net.e1000 by default); with none,
 * or when its driver dies, netd serves the loopback interface alone and
 * looks for a card again every second. The address comes from DHCP
 * (-a dhcp, the default), or is static with -a ADDR/PREFIX [-g GATEWAY]
 * [-d DNS] ("none": not set; -d also overrides DHCP's server), as
 * config.toml's [network] says. A DNS forwarder answers on 127.0.0.1:53.
 *   netd [-n net.virtio] [-a 10.0.2.15/24 -g 10.0.2.2 -d 10.0.2.3]
 * (docs/network.md) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/init.h"
#include "lwip/timeouts.h"
#include "netd.h"
#include "netif/ethernet.h"
#include "svc.h"

#define TIMER_MAX_MS 1000
#define CARDS_MAX 4
#define CARD_LOOK_MS 1000         /* without a card, how often netd looks for one */

struct netif netd_if;
bool netd_dhcp = true;
bool netd_card;
int tcp_server_fd = -1;
static ip4_addr_t dns_fixed;   /* -d: kept whatever DHCP says */

/* lwIP's clock (sys.h): milliseconds, wrapping. */
u32_t sys_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (u32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void status_changed(struct netif *nif)
{
    char a[16], gw[16];

    if (ip4_addr_isany_val(*netif_ip4_addr(nif)))
        return;
    if (!ip4_addr_isany_val(dns_fixed))
        dns_setserver(0, &(ip_addr_t)IPADDR4_INIT(ip4_addr_get_u32(&dns_fixed)));
    ip4addr_ntoa_r(netif_ip4_addr(nif), a, sizeof(a));
    ip4addr_ntoa_r(netif_ip4_gw(nif), gw, sizeof(gw));
    svc_log("netd: %s/%d gateway %s (%s)", a,
            __builtin_popcount(ip4_addr_get_u32(netif_ip4_netmask(nif))), gw,
            netd_dhcp ? "dhcp" : "static");
}

struct config {
    const char *cards[CARDS_MAX];
    int ncards;
    ip4_addr_t addr, mask, gw, dns;
};

/* "a.b.c.d/prefix" into addr and mask. */
static bool prefix_parse(const char *s, ip4_addr_t *addr, ip4_addr_t *mask)
{
    if (!strcmp(s, "dhcp")) {   /* config.toml's [network] address default */
        netd_dhcp = true;
        return true;
    }
    const char *slash = strchr(s, '/');
    char *end;
    long bits;

    if (!slash || !addr_parse(s, (size_t)(slash - s), addr))
        return false;
    bits = strtol(slash + 1, &end, 10);
    if (end == slash + 1 || *end || bits < 1 || bits > 32)
        return false;
    netd_dhcp = false;
    ip4_addr_set_u32(mask, lwip_htonl(bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits)));
    return true;
}

static int args(int argc, char **argv, struct config *c)
{
    int opt;

    while ((opt = getopt(argc, argv, "n:a:g:d:")) != -1) {
        bool ok = true;
        switch (opt) {
        case 'n': ok = c->ncards < CARDS_MAX; if (ok) c->cards[c->ncards++] = optarg; break;
        case 'a': ok = prefix_parse(optarg, &c->addr, &c->mask); break;
        case 'g': ok = !strcmp(optarg, "none") || addr_parse(optarg, strlen(optarg), &c->gw); break;
        case 'd': ok = !strcmp(optarg, "none") || addr_parse(optarg, strlen(optarg), &c->dns); break;
        default: ok = false;
        }
        if (!ok) {
            svc_log("netd: usage: netd [-n SCHEME] [-a dhcp|ADDR/PREFIX] [-g GATEWAY|none] "
                    "[-d DNS|none]");
            return -1;
        }
    }
    if (!c->ncards) {
        c->cards[c->ncards++] = "net.virtio";
        c->cards[c->ncards++] = "net.e1000";
    }
    return 0;
}

/* lwIP, the interface up, DHCP started or the static address set. */
/* The card's interface up, DHCP started or the static address set. */
static void card_up(const struct config *c, const char *name)
{
    netd_card = true;
    netif_add(&netd_if, &c->addr, &c->mask, &c->gw, NULL, link_netif_init, ethernet_input);
    netif_set_default(&netd_if);
    netif_set_status_callback(&netd_if, status_changed);
    netif_set_up(&netd_if);
    netif_set_link_up(&netd_if);
    if (netd_dhcp)
        dhcp_start(&netd_if);
    svc_log("netd: lwIP %s on %s, %s", LWIP_VERSION_STRING, name,
            netd_dhcp ? "asking DHCP for an address" : "static address");
}

/* The card's driver is gone: its interface goes (lwIP aborts the connections
 * on its address, so their owners hear of it now), loopback stays. */
static void card_down(int err)
{
    svc_log("netd: the card is gone (%s): loopback only until a card opens", strerror(-err));
    if (netd_dhcp) {
        dhcp_stop(&netd_if);
        dhcp_cleanup(&netd_if);   /* netif_add forgets it: card_up's dhcp_start makes another */
    }
    netif_remove(&netd_if);
    link_close();
    netd_card = false;
}

/* The first card that opens: its frame fd, -ENODEV when none does, or the
 * error of one that is there but fails. */
static int card_open(const struct config *c, const char **name)
{
    for (int i = 0; i < c->ncards; i++) {
        int fd = link_open(c->cards[i]);
        *name = c->cards[i];
        if (fd != -ENODEV && fd != -ENOENT && fd != -EACCES)
            return fd;   /* EACCES: the namespace leaves that card out */
        link_close();
    }
    return -ENODEV;
}

/* With no card, look for one now and then: a driver init restarts, or one
 * that starts late. The frame fd, or -1. */
static int card_look(const struct config *c)
{
    static u32_t last;
    const char *name = "";
    int fd;

    if (last && sys_now() - last < CARD_LOOK_MS)
        return -1;
    last = sys_now();
    if ((fd = card_open(c, &name)) >= 0)
        card_up(c, name);
    else if (fd != -ENODEV) {
        svc_log("netd: cannot open %s: %s", name, strerror(-fd));
        link_close();
    }
    return fd >= 0 ? fd : -1;
}

/* The schemes netd serves, in the order of its loop's poll after the card. */
static const struct {
    const char *name;
    const struct scheme_ops *ops;
} schemes[] = {{"tcp", &tcp_ops}, {"udp", &udp_ops}, {"icmp", &icmp_ops}, {"netcfg", &netcfg_ops}};
#define SCHEMES (sizeof(schemes) / sizeof(schemes[0]))

static int serve(const struct config *c, int link_fd, const int *fds)
{
    struct pollfd p[1 + SCHEMES] = {{.fd = link_fd, .events = POLLIN}};   /* fd -1: no card */
    int err;

    for (size_t i = 0; i < SCHEMES; i++)
        p[1 + i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    for (;;) {
        u32_t wait = sys_timeouts_sleeptime();
        if (poll(p, 1 + SCHEMES, wait > TIMER_MAX_MS ? TIMER_MAX_MS : (int)wait) < 0 &&
            errno != EINTR)
            return -errno;
        if (p[0].fd < 0)
            p[0].fd = card_look(c);
        else if ((err = link_input()) < 0) {
            card_down(err);
            p[0].fd = -1;
        }
        for (size_t i = 0; i < SCHEMES; i++)
            if ((err = svc_serve_once(fds[i], schemes[i].ops)) < 0)
                return err;
        netif_poll_all();   /* loopback: what this turn sent to ourselves */
        sys_check_timeouts();
        netif_poll_all();
        if (p[0].fd >= 0 && (err = link_flush()) < 0) {
            card_down(err);
            p[0].fd = -1;
        }
    }
}

int main(int argc, char **argv)
{
    struct config c = {0};
    int fds[SCHEMES], err;

    if (args(argc, argv, &c) < 0)
        return 1;
    lwip_init();
    dns_fixed = c.dns;
    if (!ip4_addr_isany_val(c.dns))
        dns_setserver(0, &(ip_addr_t)IPADDR4_INIT(ip4_addr_get_u32(&c.dns)));
    for (size_t i = 0; i < SCHEMES; i++) {
        if ((fds[i] = svc_register(schemes[i].name)) < 0) {
            svc_log("netd: cannot register %s: (%s)", schemes[i].name, strerror(-fds[i]));
            return 1;
        }
        fcntl(fds[i], F_SETFL, O_NONBLOCK);
    }
    tcp_server_fd = fds[0];
    udp_server_fd = fds[1];
    icmp_server_fd = fds[2];
    if (dns_forwarder_start() < 0)
        svc_log("netd: no DNS forwarder on 127.0.0.1:53");
    int link_fd = card_look(&c);
    if (link_fd < 0)
        svc_log("netd: lwIP %s, no network card: loopback only", LWIP_VERSION_STRING);
    err = serve(&c, link_fd, fds);
    svc_log("netd: stopped: %s", strerror(-err));
    return 1;
}
