/* services/netd/netcfg.c: the netcfg: scheme, snapshots taken at open
 * (docs/network.md): netcfg: is the interface's state as lines of
 * "key value" (address 10.0.2.15 / netmask 255.255.255.0 / gateway
 * 10.0.2.2 / dns 10.0.2.3 / mac 52:54:00:12:34:56 / mode dhcp / state
 * bound / mtu 1500 / rx_packets, rx_bytes, tx_packets, tx_bytes: the
 * card's counts), which the kernel's ifconfig ioctls also read;
 * netcfg:sockets lists lwIP's TCP and UDP endpoints, as netstat;
 * netcfg:proc/tcp and proc/udp are the same as Linux's /proc/net/tcp and
 * udp, which the kernel serves from them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lwip/dns.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/udp.h"
#include "netd.h"
#include "svc.h"

#define HANDLES_MAX 32
#define TEXT_MAX 512
#define SOCKETS_TEXT_MAX (64 * 1024)   /* a scheme window; a longer list is cut */

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
             "mode %s\nstate %s\nmtu %u\nrx_packets %llu\nrx_bytes %llu\ntx_packets %llu\n"
             "tx_bytes %llu\n",
             a, mask, gw, dns, m[0], m[1], m[2], m[3], m[4], m[5], netd_dhcp ? "dhcp" : "static",
             up ? "bound" : netd_card ? "waiting" : "nocard", netd_card ? netd_if.mtu : 0,
             (unsigned long long)link_counts.rx_packets, (unsigned long long)link_counts.rx_bytes,
             (unsigned long long)link_counts.tx_packets, (unsigned long long)link_counts.tx_bytes);
}

static const char *state_name(enum tcp_state st)
{
    static const char *const names[] = {"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED",
                                        "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "CLOSING",
                                        "LAST_ACK", "TIME_WAIT"};

    return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

/* "a.b.c.d:port" of an endpoint. */
static const char *endpoint(const ip_addr_t *ip, u16_t port, char *out, size_t len)
{
    char a[16];

    ip4addr_ntoa_r(ip_2_ip4(ip), a, sizeof(a));
    snprintf(out, len, "%s:%u", a, port);
    return out;
}

/* One line a TCP endpoint, while there is room. */
static size_t tcp_lines(struct tcp_pcb *list, char *buf, size_t at, size_t len)
{
    char l[24], r[24];

    for (struct tcp_pcb *p = list; p && at < len; p = p->next)
        at += (size_t)snprintf(buf + at, len - at, "tcp   %-22s %-22s %s\n",
                               endpoint(&p->local_ip, p->local_port, l, sizeof(l)),
                               endpoint(&p->remote_ip, p->remote_port, r, sizeof(r)),
                               state_name(p->state));
    return at;
}

static void sockets(char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "Proto Local Address          Foreign Address        State\n");
    char l[24], r[24];

    /* a listener is a smaller struct: no peer, no state field to read */
    for (struct tcp_pcb_listen *p = tcp_listen_pcbs.listen_pcbs; p && at < len; p = p->next)
        at += (size_t)snprintf(buf + at, len - at, "tcp   %-22s %-22s LISTEN\n",
                               endpoint(&p->local_ip, p->local_port, l, sizeof(l)), "0.0.0.0:0");
    at = tcp_lines(tcp_active_pcbs, buf, at, len);
    at = tcp_lines(tcp_tw_pcbs, buf, at, len);
    for (struct udp_pcb *u = udp_pcbs; u && at < len; u = u->next)
        at += (size_t)snprintf(buf + at, len - at, "udp   %-22s %-22s\n",
                               endpoint(&u->local_ip, u->local_port, l, sizeof(l)),
                               endpoint(&u->remote_ip, u->remote_port, r, sizeof(r)));
}

/* Linux's TCP state numbers (include/net/tcp_states.h) for lwIP's. */
static unsigned linux_state(enum tcp_state st)
{
    static const unsigned numbers[] = {7, 10, 2, 3, 1, 4, 5, 8, 11, 9, 6};

    return (unsigned)st < sizeof(numbers) / sizeof(numbers[0]) ? numbers[st] : 7;
}

/* One /proc/net line: addresses as Linux prints them (the network-order
 * word as hex, so 127.0.0.1 is 0100007F on x86), ports in hex. */
static size_t proc_line(char *buf, size_t at, size_t len, int n, const ip_addr_t *l, u16_t lp,
                        const ip_addr_t *r, u16_t rp, unsigned st)
{
    return at + (size_t)snprintf(buf + at, len - at,
                                 "%4d: %08X:%04X %08X:%04X %02X 00000000:00000000 00:00000000 "
                                 "00000000     0        0 0\n",
                                 n, (unsigned)ip4_addr_get_u32(ip_2_ip4(l)), lp,
                                 (unsigned)ip4_addr_get_u32(ip_2_ip4(r)), rp, st);
}

/* /proc/net/tcp's text (the kernel serves it from here: BusyBox netstat). */
static void proc_tcp(char *buf, size_t len)
{
    struct tcp_pcb *lists[] = {tcp_active_pcbs, tcp_tw_pcbs};
    size_t at = (size_t)snprintf(buf, len, "  sl  local_address rem_address   st tx_queue "
                                           "rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
    int n = 0;

    for (struct tcp_pcb_listen *l = tcp_listen_pcbs.listen_pcbs; l && at < len; l = l->next)
        at = proc_line(buf, at, len, n++, &l->local_ip, l->local_port, IP4_ADDR_ANY, 0,
                       linux_state(LISTEN));
    for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
        for (struct tcp_pcb *p = lists[k]; p && at < len; p = p->next)
            at = proc_line(buf, at, len, n++, &p->local_ip, p->local_port, &p->remote_ip,
                           p->remote_port, linux_state(p->state));
}

static void proc_udp(char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "  sl  local_address rem_address   st tx_queue "
                                           "rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
    int n = 0;

    for (struct udp_pcb *u = udp_pcbs; u && at < len; u = u->next)
        at = proc_line(buf, at, len, n++, &u->local_ip, u->local_port, &u->remote_ip,
                       u->remote_port, (u->flags & UDP_FLAGS_CONNECTED) ? 1 : 7);
}

/* The files: a name, its size, what fills it. */
static const struct {
    const char *path;
    size_t size;
    void (*fill)(char *buf, size_t len);
} files[] = {
    {"", TEXT_MAX, snapshot},
    {"sockets", SOCKETS_TEXT_MAX, sockets},
    {"proc/tcp", SOCKETS_TEXT_MAX, proc_tcp},
    {"proc/udp", SOCKETS_TEXT_MAX, proc_udp},
};

static long cfg_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    size_t f = 0;

    (void)c;
    (void)mode;
    while (f < sizeof(files) / sizeof(files[0]) && strcmp(path, files[f].path))
        f++;
    if (f == sizeof(files) / sizeof(files[0]))
        return -ENOENT;
    if ((flags & 3) != 0)   /* O_RDONLY */
        return -EACCES;
    for (int i = 0; i < HANDLES_MAX; i++)
        if (!texts[i]) {
            if (!(texts[i] = malloc(files[f].size)))
                return -ENOMEM;
            files[f].fill(texts[i], files[f].size);
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
