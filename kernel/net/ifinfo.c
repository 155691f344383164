/* kernel/net/ifinfo.c: the network as Linux programs ask about it: the
 * SIOCGIF* ioctls on an AF_INET socket (BusyBox ifconfig), /proc/net/dev,
 * and /proc/net/tcp and udp (BusyBox netstat), whose text netd makes. The kernel has no interfaces of its own: it reads netd's
 * netcfg: in the caller's namespace (docs/network.md) and describes "lo"
 * and, when netd has a card, "eth0". netd's text is input like any other:
 * a missing or malformed value reads as zero. */
#include "net/ifinfo.h"
#include "net/inet.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"

#define TEXT_MAX 512
#define IFNAMSIZ 16
#define LO_MTU 65536
#define PROC_TEXT_MAX (64 * 1024)   /* netd's lists are cut there too */

/* Linux include/uapi/linux/sockios.h and if.h. */
#define SIOCGIFCONF 0x8912
#define SIOCGIFFLAGS 0x8913
#define SIOCGIFADDR 0x8915
#define SIOCGIFBRDADDR 0x8919
#define SIOCGIFNETMASK 0x891b
#define SIOCGIFMETRIC 0x891d
#define SIOCGIFMTU 0x8921
#define SIOCGIFHWADDR 0x8927
#define SIOCGIFINDEX 0x8933
#define SIOCGIFTXQLEN 0x8942
#define IFF_UP 0x1
#define IFF_BROADCAST 0x2
#define IFF_LOOPBACK 0x8
#define IFF_RUNNING 0x40
#define IFF_MULTICAST 0x1000
#define ARPHRD_ETHER 1
#define ARPHRD_LOOPBACK 772
#define TXQLEN 1000

/* struct ifreq: a name and a 24-byte union. */
struct ifreq_ {
    char name[IFNAMSIZ];
    union {
        struct inet_addr addr;
        struct {
            uint16_t family;
            uint8_t data[14];
        } hw;
        int16_t flags;
        int32_t value;
        uint8_t pad[24];
    } u;
};
_Static_assert(sizeof(struct ifreq_) == 40, "ABI: struct ifreq is 40 bytes");

/* struct ifconf. */
struct ifconf_ {
    int32_t len;
    int32_t pad;
    uint64_t buf;
};

/* "a.b.c.d" at s into out (four bytes). */
static void parse_addr(const char *s, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned v = 0;
        while (*s >= '0' && *s <= '9' && v < 256)
            v = v * 10 + (unsigned)(*s++ - '0');
        out[i] = v < 256 ? (uint8_t)v : 0;
        if (*s == '.')
            s++;
    }
}

static unsigned hex(char c)
{
    return c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 0;
}

static void parse_mac(const char *s, uint8_t out[6])
{
    for (int i = 0; i < 6 && s[0] && s[1]; i++, s += 3)
        out[i] = (uint8_t)(hex(s[0]) << 4 | hex(s[1]));
}

/* One "key value" line (NUL-terminated, no newline) into info. */
static void parse_line(char *line, struct net_ifinfo *info)
{
    char *v = line;
    uint64_t n = 0;

    while (*v && *v != ' ')
        v++;
    if (!*v)
        return;
    *v++ = 0;
    str_to_u64(v, &n);   /* zero when it is no number */
    if (!strcmp(line, "address"))
        parse_addr(v, info->addr);
    else if (!strcmp(line, "netmask"))
        parse_addr(v, info->mask);
    else if (!strcmp(line, "mac"))
        parse_mac(v, info->mac);
    else if (!strcmp(line, "state"))
        info->card = strcmp(v, "nocard") != 0;
    else if (!strcmp(line, "mtu"))
        info->mtu = (uint32_t)(n > 65536 ? 0 : n);
    else if (!strcmp(line, "rx_packets"))
        info->rx_packets = n;
    else if (!strcmp(line, "rx_bytes"))
        info->rx_bytes = n;
    else if (!strcmp(line, "tx_packets"))
        info->tx_packets = n;
    else if (!strcmp(line, "tx_bytes"))
        info->tx_bytes = n;
}

int net_ifinfo(struct net_ifinfo *info)
{
    char text[TEXT_MAX + 1];
    struct file *f;
    long n;
    int err;

    memset(info, 0, sizeof(*info));
    if ((err = inet_open_flags("netcfg:", O_RDONLY, &f)) < 0)
        return err;
    n = f->ops->kread ? f->ops->kread(f, text, TEXT_MAX, 0) : -EIO;
    file_put(f);
    if (n < 0)
        return (int)n;
    text[n] = 0;
    for (char *line = text, *end; *line; line = end) {
        for (end = line; *end && *end != '\n'; end++)
            ;
        if (*end)
            *end++ = 0;
        parse_line(line, info);
    }
    return 0;
}

/* The interface named name: 0 lo, 1 eth0, or -ENODEV. */
static int iface_of(const char *name, const struct net_ifinfo *info)
{
    if (!strcmp(name, "lo"))
        return 0;
    return info->card && !strcmp(name, "eth0") ? 1 : -ENODEV;
}

static void addr_put(struct inet_addr *a, const uint8_t b[4])
{
    memset(a, 0, sizeof(*a));
    a->family = AF_INET;
    memcpy(a->addr, b, 4);
}

/* The answer to one SIOCGIF* about interface i into r: 0 or -errno. */
static int ifreq_answer(unsigned long cmd, int i, const struct net_ifinfo *info, struct ifreq_ *r)
{
    static const uint8_t lo_addr[4] = {127, 0, 0, 1}, lo_mask[4] = {255, 0, 0, 0};
    uint8_t brd[4];

    memset(&r->u, 0, sizeof(r->u));
    switch (cmd) {
    case SIOCGIFFLAGS:
        r->u.flags = (int16_t)(i ? IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST
                                 : IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
        return 0;
    case SIOCGIFADDR: addr_put(&r->u.addr, i ? info->addr : lo_addr); return 0;
    case SIOCGIFNETMASK: addr_put(&r->u.addr, i ? info->mask : lo_mask); return 0;
    case SIOCGIFBRDADDR:
        if (!i)
            return -EADDRNOTAVAIL;
        for (int k = 0; k < 4; k++)
            brd[k] = (uint8_t)(info->addr[k] | ~info->mask[k]);
        addr_put(&r->u.addr, brd);
        return 0;
    case SIOCGIFHWADDR:
        r->u.hw.family = i ? ARPHRD_ETHER : ARPHRD_LOOPBACK;
        if (i)
            memcpy(r->u.hw.data, info->mac, 6);
        return 0;
    case SIOCGIFMTU: r->u.value = i ? (int32_t)info->mtu : LO_MTU; return 0;
    case SIOCGIFMETRIC: r->u.value = 0; return 0;
    case SIOCGIFINDEX: r->u.value = i + 1; return 0;
    case SIOCGIFTXQLEN: r->u.value = i ? TXQLEN : 0; return 0;
    default: return -ENOTTY;
    }
}

/* SIOCGIFCONF: every interface with its address, as many as fit. */
static long ifconf(uintptr_t arg, const struct net_ifinfo *info)
{
    struct ifconf_ c;
    struct ifreq_ r;
    int count = info->card ? 2 : 1, room, i;

    if (copy_from_user(&c, arg, sizeof(c)) < 0)
        return -EFAULT;
    room = c.len < 0 ? 0 : c.len / (int)sizeof(r);
    if (!c.buf)
        room = 0, i = count;   /* the size asked for: Linux answers it in len */
    else
        for (i = 0; i < count && i < room; i++) {
            memset(&r, 0, sizeof(r));
            strlcpy(r.name, i ? "eth0" : "lo", sizeof(r.name));
            ifreq_answer(SIOCGIFADDR, i, info, &r);
            if (copy_to_user(c.buf + (uint64_t)i * sizeof(r), &r, sizeof(r)) < 0)
                return -EFAULT;
        }
    c.len = i * (int)sizeof(r);
    return copy_to_user(arg, &c, sizeof(c)) < 0 ? -EFAULT : 0;
}

long net_ifreq_ioctl(unsigned long cmd, uintptr_t arg)
{
    struct net_ifinfo info;
    struct ifreq_ r;
    int err, i;

    if (cmd != SIOCGIFCONF && (cmd & ~0xffUL) != 0x8900)
        return -ENOTTY;
    if ((err = net_ifinfo(&info)) < 0)
        return err == -ENETUNREACH ? -ENODEV : err;   /* no netd: no interfaces */
    if (cmd == SIOCGIFCONF)
        return ifconf(arg, &info);
    if (copy_from_user(&r, arg, sizeof(r)) < 0)
        return -EFAULT;
    r.name[IFNAMSIZ - 1] = 0;
    if ((i = iface_of(r.name, &info)) < 0)
        return i;
    if ((err = ifreq_answer(cmd, i, &info, &r)) < 0)
        return err == -ENOTTY ? -EOPNOTSUPP : err;   /* setting: netd's [network] decides */
    return copy_to_user(arg, &r, sizeof(r)) < 0 ? -EFAULT : 0;
}

void net_proc_dev(struct textbuf *tb)
{
    struct net_ifinfo info;
    bool up = net_ifinfo(&info) == 0;

    textbuf_printf(tb, "Inter-|   Receive                                                |  Transmit\n"
                       " face |bytes    packets errs drop fifo frame compressed multicast|"
                       "bytes    packets errs drop fifo colls carrier compressed\n");
    if (up)
        textbuf_printf(tb, "    lo: %7u %7u    0    0    0     0          0         0 %8u %7u    0    0    0     0       0          0\n",
                       0u, 0u, 0u, 0u);
    if (up && info.card)
        textbuf_printf(tb, "  eth0: %7llu %7llu    0    0    0     0          0         0 %8llu %7llu    0    0    0     0       0          0\n",
                       (unsigned long long)info.rx_bytes, (unsigned long long)info.rx_packets,
                       (unsigned long long)info.tx_bytes, (unsigned long long)info.tx_packets);
}

/* A netd text (netcfg:proc/...) into tb; nothing when netd is not there. */
static void netd_text(struct textbuf *tb, const char *path)
{
    char chunk[1024];
    struct file *f;
    uint64_t off = 0;
    long n;

    if (inet_open_flags(path, O_RDONLY, &f) < 0)
        return;
    while (off < PROC_TEXT_MAX && f->ops->kread &&
           (n = f->ops->kread(f, chunk, sizeof(chunk), off)) > 0) {
        textbuf_append(tb, chunk, (size_t)n);
        off += (uint64_t)n;
    }
    file_put(f);
}

void net_proc_tcp(struct textbuf *tb)
{
    netd_text(tb, "netcfg:proc/tcp");
}

void net_proc_udp(struct textbuf *tb)
{
    netd_text(tb, "netcfg:proc/udp");
}

/* No IPv6: the files are there, with their header and no line, so that
 * netstat does not complain that they are missing. */
void net_proc_tcp6(struct textbuf *tb)
{
    textbuf_printf(tb, "  sl  local_address                         remote_address                        "
                       "st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
}
