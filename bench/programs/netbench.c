/* bench/programs/netbench.c: the guest side of bench/network.sh: TCP from and to the
 * host's server (bench/nethost.pl, reached as 10.0.2.2), connections per second to
 * it, and TCP over 127.0.0.1 within the guest. The host times the two transfers; this
 * prints a "name value unit" line for each measure it times, "netbench: NAME failed"
 * with the reason for one that did not work, and "netbench: done" at the end (status 1
 * when a measure failed). As Linux's /init it loads the modules in /modules and sets
 * up lo and eth0 itself; on Anvil (netcfg: exists) netd gets the address by DHCP and
 * netbench waits until netcfg: says it is bound. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linux_init.h"

#define CHUNK_BYTES (64 * 1024)     /* one write or read; Anvil's tcp: takes 64 KiB a call */
#define BYTES_PER_MIB 1048576.0
#define NS_PER_S 1e9
#define IO_TIMEOUT_S 30             /* a socket call that waits longer has failed */
#define SETUP_TIMEOUT_MS 60000      /* for DHCP (Anvil) or eth0 to show (Linux) */
#define TICK_MS 10

/* QEMU's user network (slirp): the guest, its netmask, the gateway that is the host. */
#define GUEST_ADDR "10.0.2.15"
#define GUEST_MASK "255.255.255.0"
#define HOST_ADDR "10.0.2.2"
#define LOOP_ADDR "127.0.0.1"
#define LOOP_MASK "255.0.0.0"

static char chunk[CHUNK_BYTES];

/* The command line, set by main, read-only after. */
static int host_port;               /* bench/nethost.pl's port on the host */
static int listen_port;             /* ours, forwarded from the host */
static int loop_port;               /* for 127.0.0.1 */
static long transfer_bytes;         /* each way to and from the host */
static long loop_bytes;             /* over 127.0.0.1 */
static int connections;             /* for the connection rate */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / NS_PER_S;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static bool fail(const char *measure, const char *call)
{
    printf("netbench: %s failed: %s: %s\n", measure, call, strerror(errno));
    return false;
}

static struct sockaddr_in addr_of(const char *ip, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

/* A TCP socket whose calls give up after IO_TIMEOUT_S (connect and accept too). */
static int tcp_socket(void)
{
    struct timeval tv = {IO_TIMEOUT_S, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    }
    return fd;
}

static int tcp_connect(const char *measure, const char *ip, int port)
{
    struct sockaddr_in a = addr_of(ip, port);
    int fd = tcp_socket();

    if (fd < 0) {
        fail(measure, "socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        fail(measure, "connect");
        close(fd);
        return -1;
    }
    return fd;
}

static int tcp_listen(const char *measure, const char *ip, int port)
{
    struct sockaddr_in a = addr_of(ip, port);
    int one = 1, fd = tcp_socket();

    if (fd < 0) {
        fail(measure, "socket");
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 4) < 0) {
        fail(measure, "bind and listen");
        close(fd);
        return -1;
    }
    return fd;
}

/* total bytes written from chunk, in writes of at most CHUNK_BYTES. */
static bool send_bytes(const char *measure, int fd, long total)
{
    while (total > 0) {
        ssize_t n = write(fd, chunk, total < CHUNK_BYTES ? (size_t)total : CHUNK_BYTES);
        if (n <= 0)
            return fail(measure, n < 0 ? "write" : "write returned 0");
        total -= n;
    }
    return true;
}

/* total bytes read; an early end is a failure. */
static bool recv_bytes(const char *measure, int fd, long total)
{
    while (total > 0) {
        ssize_t n = read(fd, chunk, total < CHUNK_BYTES ? (size_t)total : CHUNK_BYTES);
        if (n <= 0) {
            errno = n < 0 ? errno : ECONNRESET;
            return fail(measure, n < 0 ? "read" : "the data ended early");
        }
        total -= n;
    }
    return true;
}

static bool send_text(const char *measure, int fd, const char *text)
{
    return write(fd, text, strlen(text)) == (ssize_t)strlen(text) || fail(measure, "write");
}

/* The peer's "ok\n" that says it has all it was sent. */
static bool recv_ok(const char *measure, int fd)
{
    char got[3];
    size_t have = 0;

    while (have < sizeof(got)) {
        ssize_t n = read(fd, got + have, sizeof(got) - have);
        if (n <= 0) {
            errno = n < 0 ? errno : ECONNRESET;
            return fail(measure, "read of the ok");
        }
        have += (size_t)n;
    }
    errno = EPROTO;
    return memcmp(got, "ok\n", 3) == 0 || fail(measure, "the peer did not say ok");
}

/* The host sends transfer_bytes to our forwarded port and times it; we say ok when
 * they are all here. The request goes over a connection to the host's server. */
static bool from_host(void)
{
    const char *m = "host_to_guest";
    char req[64];
    int lfd = tcp_listen(m, "0.0.0.0", listen_port), cfd = -1, dfd = -1;
    bool ok = false;

    if (lfd < 0)
        return false;
    snprintf(req, sizeof(req), "send %ld\n", transfer_bytes);
    cfd = tcp_connect(m, HOST_ADDR, host_port);
    if (cfd < 0 || !send_text(m, cfd, req))
        goto out;
    dfd = accept(lfd, NULL, NULL);
    if (dfd < 0) {
        fail(m, "accept");
        goto out;
    }
    ok = recv_bytes(m, dfd, transfer_bytes) && send_text(m, dfd, "ok\n") && recv_ok(m, cfd);
out:
    if (dfd >= 0)
        close(dfd);
    if (cfd >= 0)
        close(cfd);
    close(lfd);
    return ok;
}

/* We send transfer_bytes to the host's server, which times them and says ok. */
static bool to_host(void)
{
    const char *m = "guest_to_host";
    char req[64];
    int fd = tcp_connect(m, HOST_ADDR, host_port);
    bool ok;

    if (fd < 0)
        return false;
    snprintf(req, sizeof(req), "recv %ld\n", transfer_bytes);
    ok = send_text(m, fd, req) && send_bytes(m, fd, transfer_bytes) && recv_ok(m, fd);
    close(fd);
    return ok;
}

/* connect + close to the host's server, one after the other. */
static bool connection_rate(void)
{
    const char *m = "connect_close";
    double t0 = now_s();

    for (int i = 0; i < connections; i++) {
        int fd = tcp_connect(m, HOST_ADDR, host_port);
        if (fd < 0)
            return false;
        close(fd);
    }
    printf("connect_close_per_s %.1f per s\n", connections / (now_s() - t0));
    return true;
}

/* The client over 127.0.0.1, in a child: it sends loop_bytes, waits for the ok. */
static void loop_client(void)
{
    const char *m = "loopback";
    int fd = tcp_connect(m, LOOP_ADDR, loop_port);

    _exit(fd >= 0 && send_bytes(m, fd, loop_bytes) && recv_ok(m, fd) ? 0 : 1);
}

/* Until the client (*pid) connects to lfd. When it ends first, or IO_TIMEOUT_S pass
 * (then it is killed), it is reaped here and *pid is 0. */
static bool wait_client(int lfd, pid_t *pid)
{
    struct pollfd p = {.fd = lfd, .events = POLLIN};

    for (long ms = 0; ms < IO_TIMEOUT_S * 1000L; ms += TICK_MS) {
        if (poll(&p, 1, TICK_MS) > 0)
            return true;
        if (waitpid(*pid, NULL, WNOHANG) == *pid) {
            *pid = 0;
            printf("netbench: loopback failed: the client ended before it connected\n");
            return false;
        }
    }
    kill(*pid, SIGKILL);
    waitpid(*pid, NULL, 0);
    *pid = 0;
    errno = ETIMEDOUT;
    return fail("loopback", "no connection from the client");
}

/* A server and a client (two processes) over 127.0.0.1; the server times from the
 * accept to the last byte. */
static bool loopback(void)
{
    const char *m = "loopback";
    int lfd = tcp_listen(m, LOOP_ADDR, loop_port), dfd = -1, status = 0;
    bool ok = false;
    double t0, t1 = 0;
    pid_t pid;

    if (lfd < 0)
        return false;
    pid = fork();
    if (pid == 0)
        loop_client();
    if (pid < 0) {
        fail(m, "fork");
        goto out;
    }
    if (!wait_client(lfd, &pid))
        goto out;
    dfd = accept(lfd, NULL, NULL);
    if (dfd < 0) {
        fail(m, "accept");
        goto out;
    }
    t0 = now_s();
    ok = recv_bytes(m, dfd, loop_bytes);
    t1 = now_s();
    ok = ok && send_text(m, dfd, "ok\n");
    if (ok)
        printf("loopback_mib_s %.2f MiB/s\n", loop_bytes / BYTES_PER_MIB / (t1 - t0));
out:
    if (dfd >= 0)
        close(dfd);
    close(lfd);
    if (pid > 0 && (waitpid(pid, &status, 0) < 0 || status != 0)) {
        printf("netbench: loopback failed: the client's status is %d\n", status);
        ok = false;
    }
    return ok;
}

/* Anvil: wait until netd's DHCP has given the address. */
static bool anvil_wait_bound(void)
{
    char text[1024];

    for (long ms = 0; ms < SETUP_TIMEOUT_MS; ms += TICK_MS) {
        FILE *f = fopen("netcfg:", "r");
        size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
        if (f)
            fclose(f);
        text[n] = '\0';
        if (strstr(text, "state bound\n"))
            return true;
        sleep_ms(TICK_MS);
    }
    errno = ETIMEDOUT;
    return fail("setup", "netcfg: never said state bound");
}

/* ioctl REQ on interface NAME with the IPv4 address IP in its ifreq. */
static bool if_addr(int s, const char *name, unsigned long req, const char *ip)
{
    struct ifreq ifr = {0};
    struct sockaddr_in a = addr_of(ip, 0);

    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    memcpy(&ifr.ifr_addr, &a, sizeof(a));
    return ioctl(s, req, &ifr) == 0 || fail("setup", name);
}

static bool if_up(int s, const char *name, const char *ip, const char *mask)
{
    struct ifreq ifr = {0};

    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (!if_addr(s, name, SIOCSIFADDR, ip) || !if_addr(s, name, SIOCSIFNETMASK, mask))
        return false;
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
        return fail("setup", "SIOCGIFFLAGS");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ioctl(s, SIOCSIFFLAGS, &ifr) == 0 || fail("setup", "SIOCSIFFLAGS");
}

static bool default_route(int s)
{
    struct rtentry rt = {0};
    struct sockaddr_in any = addr_of("0.0.0.0", 0), gw = addr_of(HOST_ADDR, 0);

    memcpy(&rt.rt_dst, &any, sizeof(any));
    memcpy(&rt.rt_genmask, &any, sizeof(any));
    memcpy(&rt.rt_gateway, &gw, sizeof(gw));
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    return ioctl(s, SIOCADDRT, &rt) == 0 || fail("setup", "SIOCADDRT");
}

/* Linux as /init: virtio_net from /modules, then lo and eth0 as slirp expects. */
static bool linux_setup(void)
{
    struct ifreq ifr = {0};
    bool ok;
    int s;

    if (!linux_load_modules("netbench"))
        return false;
    s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0)
        return fail("setup", "socket");
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "eth0");
    for (long ms = 0; ioctl(s, SIOCGIFINDEX, &ifr) < 0 && ms < SETUP_TIMEOUT_MS; ms += TICK_MS)
        sleep_ms(TICK_MS);
    ok = if_up(s, "lo", LOOP_ADDR, LOOP_MASK) && if_up(s, "eth0", GUEST_ADDR, GUEST_MASK) &&
         default_route(s);
    close(s);
    return ok;
}

static bool parse_args(int argc, char **argv)
{
    if (argc != 7)
        return false;
    host_port = atoi(argv[1]);
    listen_port = atoi(argv[2]);
    loop_port = atoi(argv[3]);
    transfer_bytes = atol(argv[4]) << 20;
    loop_bytes = atol(argv[5]) << 20;
    connections = atoi(argv[6]);
    return host_port > 0 && listen_port > 0 && loop_port > 0 && transfer_bytes > 0 &&
           loop_bytes > 0 && connections > 0;
}

int main(int argc, char **argv)
{
    bool ok;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!parse_args(argc, argv)) {
        fprintf(stderr, "usage: netbench HOST-PORT LISTEN-PORT LOOP-PORT MIB LOOP-MIB CONNECTIONS\n");
        return 2;
    }
    printf("netbench: start\n");
    if (access("netcfg:", F_OK) == 0 ? !anvil_wait_bound() : !linux_setup())
        return 1;
    printf("netbench: network up\n");
    ok = from_host();
    ok = to_host() && ok;
    ok = connection_rate() && ok;
    ok = loopback() && ok;
    printf("netbench: done\n");
    return ok ? 0 : 1;
}
