/* tests/guest/programs/network.c: netd's tcp: and netcfg: schemes from inside the
 * guest, driven by tests/guest/network.t on the host (QEMU user networking: the
 * host's 127.0.0.1 is 10.0.2.2 here, and the host's forwarded port reaches our
 * port 80). In order: the DHCP address in netcfg:; a listener on 80 echoing two
 * connections the host makes (1 KiB, then several MiB) and taking the host
 * servers' ports from a third; a bound udp: handle answering the host's
 * datagram on port 7; fetching a pattern from the host's TCP server, a
 * datagram to its UDP echo; refused and malformed opens, a non-blocking
 * connect; the same through the socket calls (AF_INET: a client, BusyBox wget,
 * a server on port 81 the host connects to); the loopback interface (inet.c)
 * and BusyBox ping; names from /etc/hosts and from the host's DNS server;
 * BusyBox httpd serving 1 KiB and 50 MiB to the host's curl; the card's
 * driver killed under a connection; then netd killed under an open
 * connection: the read fails, init restarts netd, and a new fetch works. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "../../../include/anvil/net.h"
#include "tap.h"
#include "util.h"

#define ECHO_PORT "80"
#define FETCH_BYTES (1024 * 1024)
#define BOUND_WAIT_MS 20000
#define TOKEN_TEXT 17
#define SOCK_PORT 81
#define WGET_BYTES 100000
#define HTTPD_PORT "8080"
#define HTTPD_BIG (50 * 1024 * 1024)
#define HTTPD_PARALLEL 64

static char buf[65536];
static int server_port, udp_port;

/* The pattern the host's server sends: byte i of any fetch. */
static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 131 + (i >> 8));
}

/* A file of n bytes of the pattern. */
static bool pattern_file(const char *path, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bool ok = fd >= 0;

    for (size_t at = 0; ok && at < n; at += sizeof(buf)) {
        size_t k = n - at < sizeof(buf) ? n - at : sizeof(buf);
        for (size_t i = 0; i < k; i++)
            buf[i] = (char)pattern(at + i);
        ok = write_full(fd, buf, k);
    }
    return fd >= 0 && close(fd) == 0 && ok;
}

/* Whether the file holds n bytes of the pattern. */
static bool file_is_pattern(const char *path, size_t n)
{
    int fd = open(path, O_RDONLY);
    size_t at = 0;
    ssize_t k;
    bool same = fd >= 0;

    while (same && (k = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < k; i++)
            same &= (uint8_t)buf[i] == pattern(at + (size_t)i);
        at += (size_t)k;
    }
    if (fd >= 0)
        close(fd);
    return same && at == n;
}

/* Until netcfg: says the address is bound (at most ms): its text, or NULL. */
static const char *wait_bound(int ms)
{
    static char text[512];

    for (int t = 0; t < ms; t += 50) {
        if (slurp("netcfg:", text, sizeof(text)) > 0 && strstr(text, "state bound\n"))
            return text;
        sleep_ms(50);
    }
    return NULL;
}

static void test_netcfg(void)
{
    const char *t = wait_bound(BOUND_WAIT_MS);
    char copy[512];

    if (!tap_ok(t != NULL, "netcfg: the address is bound within %d s", BOUND_WAIT_MS / 1000))
        return;
    snprintf(copy, sizeof(copy), "%s", t);
    for (char *l = strtok(copy, "\n"); l; l = strtok(NULL, "\n"))
        printf("netcfg %s\n", l);
    tap_ok(strstr(t, "address 10.0.2.15\n") && strstr(t, "mode dhcp\n"),
           "netcfg: QEMU's DHCP server gave 10.0.2.15");
    tap_ok(strstr(t, "gateway 10.0.2.2\n") && strstr(t, "netmask 255.255.255.0\n"),
           "netcfg: with its gateway and netmask");
    tap_ok(strstr(t, "mac 52:54:00:12:34:56\n") != NULL, "netcfg: and the card's MAC");
}

/* The next connection on listener l: its fd, or -1. */
static int accept_one(int l)
{
    char tok[TOKEN_TEXT + 1] = {0}, path[64];

    if (read(l, tok, TOKEN_TEXT) != TOKEN_TEXT || tok[16] != '\n')
        return -1;
    tok[16] = '\0';
    snprintf(path, sizeof(path), "tcp:accept/%s", tok);
    return open(path, O_RDWR);
}

/* Echo what comes on fd until the peer's end: the bytes, or -1. */
static long echo(int fd)
{
    long total = 0;
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        if (!write_full(fd, buf, (size_t)n))
            return -1;
        total += n;
    }
    return n < 0 ? -1 : total;
}

static void test_server(void)
{
    int l = open("tcp:listen/" ECHO_PORT, O_RDWR), c;
    long got;
    char line[64] = {0};

    if (!tap_ok(l >= 0, "tcp:listen/" ECHO_PORT " listens"))
        return;
    tap_fails_with(open("tcp:listen/" ECHO_PORT, O_RDWR), EADDRINUSE,
                   "a second listener on the port: EADDRINUSE");
    printf("listening on " ECHO_PORT "\n");
    fflush(stdout);
    c = accept_one(l);
    got = c >= 0 ? echo(c) : -1;
    tap_ok(got == 1024, "the host's first connection: 1 KiB echoed (%ld)", got);
    close(c);
    c = accept_one(l);
    got = c >= 0 ? echo(c) : -1;
    tap_ok(got >= 2 * 1024 * 1024, "the second: %ld bytes echoed", got);
    close(c);
    c = accept_one(l);
    if (c < 0 || read(c, line, sizeof(line) - 1) <= 5 ||
        sscanf(line, "port %d %d", &server_port, &udp_port) != 2)
        server_port = udp_port = 0;
    tap_ok(server_port > 0, "the third tells the host servers' ports (tcp %d, udp %d)", server_port,
           udp_port);
    close(c);
    close(l);
}

/* udp:bind/7 answers the host's datagram upper-cased, to the address it came from. */
static void test_udp_bound(void)
{
    int fd = open("udp:bind/7", O_RDWR);
    struct anvil_udp_head h;
    ssize_t n;

    if (!tap_ok(fd >= 0, "udp:bind/7 binds"))
        return;
    tap_fails_with(open("udp:bind/7", O_RDWR), EADDRINUSE, "a second bind of the port: EADDRINUSE");
    printf("udp bound on 7\n");
    fflush(stdout);
    n = read(fd, buf, sizeof(buf));
    memcpy(&h, buf, sizeof(h));
    tap_ok(n > (ssize_t)sizeof(h) && h.addr[0] == 10 && h.addr[1] == 0 && h.addr[2] == 2 &&
           h.addr[3] == 2 && h.port > 0, "a datagram comes with its sender, 10.0.2.2:%u", h.port);
    for (ssize_t i = (ssize_t)sizeof(h); i < n; i++)
        buf[i] = (char)toupper((unsigned char)buf[i]);
    tap_ok(n > 0 && write(fd, buf, (size_t)n) == n, "the answer goes back to the sender");
    tap_fails_with(write(fd, buf, 4), EINVAL, "a datagram without its head: EINVAL");
    close(fd);
}

/* A datagram to the host's UDP echo server comes back. */
static void test_udp_connected(void)
{
    char path[64], back[64] = {0};
    struct pollfd p;
    bool same = false;
    int fd;

    if (!udp_port)
        return;
    snprintf(path, sizeof(path), "udp:10.0.2.2:%d", udp_port);
    fd = open(path, O_RDWR);
    p = (struct pollfd){.fd = fd, .events = POLLIN};
    for (int i = 0; i < 5 && !same && fd >= 0; i++) {   /* UDP: a lost datagram is sent again */
        if (write(fd, "datagram", 8) != 8)
            break;
        if (poll(&p, 1, 1000) == 1 && read(fd, back, sizeof(back)) == 8)
            same = !memcmp(back, "datagram", 8);
    }
    tap_ok(same, "%s: a datagram to the host's echo server comes back", path);
    close(fd);
}

/* Open tcp:10.0.2.2:PORT (the host's 127.0.0.1) with flags: the fd or -1. */
static int host_connect(int flags)
{
    char path[64];

    snprintf(path, sizeof(path), "tcp:10.0.2.2:%d", server_port);
    return open(path, O_RDWR | flags);
}

/* Fetch n bytes of the pattern from the host server: true when all came right. */
static bool fetch(size_t n)
{
    int fd = host_connect(0);
    char req[32];
    size_t got = 0;
    ssize_t r;
    bool same = true;

    if (fd < 0)
        return false;
    snprintf(req, sizeof(req), "get %zu\n", n);
    write_full(fd, req, strlen(req));
    while ((r = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < r; i++)
            same = same && (uint8_t)buf[i] == pattern(got + (size_t)i);
        got += (size_t)r;
    }
    close(fd);
    if (got != n || !same)
        tap_diag("fetched %zu of %zu bytes, %s", got, n, same ? "same" : "different");
    return r == 0 && got == n && same;
}

static void test_client(void)
{
    struct pollfd p;
    int fd;

    if (!server_port)
        return;
    tap_ok(fetch(FETCH_BYTES), "tcp:10.0.2.2:%d: 1 MiB fetched from the host, byte for byte",
           server_port);
    tap_fails_with(open("tcp:10.0.2.2:1", O_RDWR), ECONNREFUSED,
                   "a closed port on the host: ECONNREFUSED");
    tap_fails_with(open("tcp:10.0.2", O_RDWR), ENOENT, "tcp:10.0.2: ENOENT");
    tap_fails_with(open("tcp:10.0.2.2:99999", O_RDWR), ENOENT, "a port past 65535: ENOENT");
    tap_fails_with(open("tcp:listen/0x50", O_RDWR), EINVAL, "tcp:listen/0x50: EINVAL");
    tap_fails_with(open("tcp:accept/0123456789abcdef", O_RDWR), ENOENT,
                   "an accept token nobody was given: ENOENT");
    fd = host_connect(O_NONBLOCK);
    p = (struct pollfd){.fd = fd, .events = POLLOUT};
    tap_ok(fd >= 0 && poll(&p, 1, 10000) == 1 && (p.revents & POLLOUT) && !(p.revents & POLLERR),
           "O_NONBLOCK: open returns at once, poll says POLLOUT when connected");
    close(fd);
}

/* sockaddr_in for 10.0.2.2:port (the host's 127.0.0.1). */
static struct sockaddr_in host_addr(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

    inet_pton(AF_INET, "10.0.2.2", &a.sin_addr);
    return a;
}

/* Read n bytes of the pattern from fd (flags: recv's; 0: read, fd may be a pipe):
 * true when all came right. */
static bool pattern_read(int fd, size_t n, int flags)
{
    size_t got = 0;
    ssize_t r = 1;
    bool same = true;

    while (got < n && (r = flags ? recv(fd, buf, sizeof(buf), flags) : read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < r; i++)
            same = same && (uint8_t)buf[i] == pattern(got + (size_t)i);
        got += (size_t)r;
    }
    if (got != n || !same)
        tap_diag("read %zu of %zu bytes, %s (%zd, %s)", got, n, same ? "same" : "different", r,
                 strerror(errno));
    return got == n && same;
}

/* socket, connect, send, recv, getpeername to the host's server. */
static void test_socket_client(void)
{
    struct sockaddr_in a = host_addr(server_port), b;
    socklen_t len = sizeof(b);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    char req[32];

    if (!tap_ok(fd >= 0, "socket(AF_INET, SOCK_STREAM)"))
        return;
    tap_ok(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0 &&
           setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) == 0,
           "TCP_NODELAY and SO_KEEPALIVE are accepted");
    tap_ok(connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0, "connect to 10.0.2.2:%d (%s)",
           server_port, strerror(errno));
    tap_ok(getpeername(fd, (struct sockaddr *)&b, &len) == 0 && len == sizeof(b) &&
           b.sin_port == a.sin_port && b.sin_addr.s_addr == a.sin_addr.s_addr,
           "getpeername names the host");
    len = sizeof(b);
    tap_ok(getsockname(fd, (struct sockaddr *)&b, &len) == 0 && b.sin_port != 0 &&
           b.sin_addr.s_addr == htonl(0x0a00020f), "getsockname: 10.0.2.15 and the port netd chose");
    snprintf(req, sizeof(req), "get %d\n", FETCH_BYTES);
    tap_ok(send(fd, req, strlen(req), MSG_NOSIGNAL) == (ssize_t)strlen(req) &&
           pattern_read(fd, FETCH_BYTES, 0) && recv(fd, buf, 1, 0) == 0,
           "1 MiB through recv, byte for byte, then the end");
    close(fd);
    a = host_addr(1);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    tap_fails_with(connect(fd, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED,
                   "connect to a closed port: ECONNREFUSED");
    tap_fails_with(connect(fd, (struct sockaddr *)&a, 8), EINVAL, "a short sockaddr_in: EINVAL");
    a.sin_family = AF_INET6;
    tap_fails_with(connect(fd, (struct sockaddr *)&a, sizeof(a)), EAFNOSUPPORT,
                   "another family: EAFNOSUPPORT");
    tap_fails_with(connect(fd, (struct sockaddr *)8, sizeof(a)), EFAULT, "a bad pointer: EFAULT");
    tap_fails_with(accept(fd, NULL, NULL), EINVAL, "accept on a socket not listening: EINVAL");
    tap_fails_with(recv(fd, buf, 1, 0), ENOTCONN, "recv unconnected: ENOTCONN");
    close(fd);
}

/* O_NONBLOCK connect: EINPROGRESS, POLLOUT, SO_ERROR 0; MSG_WAITALL. */
static void test_socket_nonblock(void)
{
    struct sockaddr_in a = host_addr(server_port);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), err = -1;
    socklen_t len = sizeof(err);
    struct pollfd p = {.fd = fd, .events = POLLOUT};

    tap_fails_with(connect(fd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS,
                   "a non-blocking connect: EINPROGRESS");
    tap_fails_with(recv(fd, buf, 1, 0), EAGAIN, "recv before data: EAGAIN");
    tap_ok(poll(&p, 1, 10000) == 1 && (p.revents & POLLOUT) &&
           getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0,
           "poll says POLLOUT, SO_ERROR 0");
    fcntl(fd, F_SETFL, 0);
    tap_ok(write(fd, "get 5000\n", 9) == 9 && pattern_read(fd, 5000, MSG_WAITALL),
           "then blocking: 5000 bytes with MSG_WAITALL");
    close(fd);
}

/* BusyBox wget (unmodified) fetches from the host's HTTP answer through the socket calls. */
static void test_wget(void)
{
    char url[64];
    int fds[2], st;
    pid_t pid;

    snprintf(url, sizeof(url), "http://10.0.2.2:%d/%d", server_port, WGET_BYTES);
    if (pipe(fds) < 0 || (pid = fork()) < 0)
        return;
    if (pid == 0) {
        dup2(fds[1], 1);
        execl("/bin/busybox", "wget", "-q", "-O", "-", url, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    tap_ok(pattern_read(fds[0], WGET_BYTES, 0) && read(fds[0], buf, 1) == 0,
           "busybox wget %s: the bytes, the same", url);
    close(fds[0]);
    waitpid(pid, &st, 0);
    tap_ok(exited_with(st, 0), "busybox wget exits 0");
}

/* socket, bind, listen, accept: the host connects through its forwarded port. */
static void test_socket_server(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(SOCK_PORT)}, b;
    struct timeval tv = {.tv_sec = 60};
    socklen_t len = sizeof(b);
    int l = socket(AF_INET, SOCK_STREAM, 0), c, one = 1;
    char line[64] = {0};
    ssize_t n;

    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (!tap_ok(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 4) == 0,
                "bind and listen on port %d", SOCK_PORT))
        return;
    tap_ok(getsockname(l, (struct sockaddr *)&b, &len) == 0 && b.sin_port == htons(SOCK_PORT),
           "getsockname says port %d", SOCK_PORT);
    tap_fails_with(accept4(l, NULL, NULL, SOCK_NONBLOCK), EAGAIN,
                   "accept4 before a connection comes: EAGAIN");
    printf("socket listening on %d\n", SOCK_PORT);
    fflush(stdout);
    len = sizeof(b);
    c = accept(l, (struct sockaddr *)&b, &len);
    tap_ok(c >= 0 && len == sizeof(b) && b.sin_family == AF_INET &&
           b.sin_addr.s_addr == htonl(0x0a000202) && b.sin_port != 0,
           "accept names the peer: QEMU's 10.0.2.2");
    n = c >= 0 ? read(c, line, sizeof(line) - 1) : -1;
    for (ssize_t i = 0; i < n; i++)
        line[i] = (char)toupper((unsigned char)line[i]);
    tap_ok(c >= 0 && n > 0 && write(c, line, (size_t)n) == n, "accept, read, write back (%zd)", n);
    shutdown(c, SHUT_RDWR);
    close(c);
    close(l);
}

/* Run a program; true when it exits 0. Its output goes to the console. */
static bool run(const char *const argv[])
{
    int st = -1;
    pid_t pid = fork();

    if (pid == 0) {
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid > 0 && waitpid(pid, &st, 0) == pid && exited_with(st, 0);
}

/* The loopback interface through the socket calls (inet.c), and pings. */
static void test_loopback_and_ping(void)
{
    tap_ok(run((const char *const[]){"/bin/tests/inet", NULL}),
           "inet: UDP, TCP and raw ICMP sockets over 127.0.0.1 pass");
    tap_ok(run((const char *const[]){"/bin/busybox", "ping", "-c", "2", "-W", "5", "10.0.2.2", NULL}),
           "busybox ping 10.0.2.2 (QEMU's gateway) is answered");
    tap_ok(run((const char *const[]){"/bin/busybox", "ping", "-c", "1", "-W", "5", "127.0.0.1", NULL}),
           "busybox ping 127.0.0.1 is answered");
}

/* BusyBox wget of http://NAME:PORT/N, the name resolved by musl. */
static void wget_name(const char *name, const char *how)
{
    char url[96], cmd[160];

    snprintf(url, sizeof(url), "http://%s:%d/%d", name, server_port, WGET_BYTES);
    snprintf(cmd, sizeof(cmd), "/bin/busybox wget -q -O /tmp/named %s", url);
    tap_ok(system(cmd) == 0 && file_is_pattern("/tmp/named", WGET_BYTES), "wget %s: %s", url, how);
    unlink("/tmp/named");
}

/* The interfaces as Linux programs see them: BusyBox ifconfig (SIOCGIFCONF and
 * SIOCGIF* on a socket) and /proc/net/dev, both from netd's netcfg:. */
static void test_interfaces(void)
{
    tap_ok(system("/bin/busybox ifconfig eth0 | grep -q 'inet addr:10.0.2.15  Bcast:10.0.2.255  "
                  "Mask:255.255.255.0'") == 0,
           "busybox ifconfig eth0: the address, broadcast and mask");
    tap_ok(system("/bin/busybox ifconfig | grep -q 'HWaddr 52:54:00:12:34:56'") == 0 &&
               system("/bin/busybox ifconfig lo | grep -q 'inet addr:127.0.0.1'") == 0,
           "busybox ifconfig lists eth0 with its MAC, and lo");
    tap_ok(system("grep -Eq '^ *eth0: +[1-9][0-9]* +[1-9]' /proc/net/dev") == 0,
           "/proc/net/dev counts eth0's bytes and packets");
    tap_ok(system("/bin/busybox ifconfig eth0 10.0.2.99 2>/dev/null") != 0,
           "setting an address with ifconfig fails (netd's [network] decides)");
}

static void test_names(void)
{
    tap_ok(run((const char *const[]){"/bin/busybox", "ping", "-c", "1", "-W", "5", "anvil", NULL}),
           "busybox ping anvil: the name from /etc/hosts (127.0.0.1)");
    wget_name("files.anvil.test", "the name from the host's DNS server, through netd's forwarder");
    tap_ok(system("/bin/busybox nslookup nowhere.anvil.test 127.0.0.1 >/dev/null 2>&1") != 0,
           "a name the server does not know: nslookup fails");
}

/* HTTPD_PARALLEL connections to httpd at once, from here: QEMU's port forward
 * would not do (it listens with a backlog of 1, so the host's own SYNs wait
 * seconds). Non-blocking connects to our own address, a request on each, then
 * every answer read. */
static void test_httpd_parallel(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(HTTPD_PORT))};
    struct pollfd p[HTTPD_PARALLEL];
    int ok = 0, connected = 0;
    uint64_t end = mono_ns() + 60 * NS_PER_SEC;

    a.sin_addr.s_addr = htonl(0x0a00020f);   /* 10.0.2.15: through the card's address */
    for (int i = 0; i < HTTPD_PARALLEL; i++) {
        p[i] = (struct pollfd){.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), .events = POLLOUT};
        if (connect(p[i].fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS)
            p[i].events = 0;
    }
    while (connected + ok < 2 * HTTPD_PARALLEL && mono_ns() < end && poll(p, HTTPD_PARALLEL, 1000) >= 0) {
        for (int i = 0; i < HTTPD_PARALLEL; i++) {
            char answer[64] = "";
            if ((p[i].revents & POLLOUT) && p[i].events == POLLOUT) {
                const char *req = "GET /small HTTP/1.0\r\n\r\n";
                connected += write(p[i].fd, req, strlen(req)) == (ssize_t)strlen(req);
                p[i].events = POLLIN;
            } else if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) && p[i].events == POLLIN) {
                ok += read(p[i].fd, answer, sizeof(answer) - 1) > 12 && !strncmp(answer, "HTTP/1.", 7) &&
                      !strncmp(answer + 8, " 200", 4);
                p[i].events = 0;
            }
        }
    }
    for (int i = 0; i < HTTPD_PARALLEL; i++)
        close(p[i].fd);
    tap_ok(connected == HTTPD_PARALLEL && ok == HTTPD_PARALLEL,
           "%d connections to httpd at once: %d sent a request, %d answered 200", HTTPD_PARALLEL,
           connected, ok);
}

/* netd's netstat and BusyBox's: httpd's listener and the DNS forwarder are there. */
static void test_sockets_list(void)
{
    static char list[16384];

    tap_ok(slurp("netcfg:sockets", list, sizeof(list)) > 0 &&
               strstr(list, "tcp   0.0.0.0:" HTTPD_PORT " ") && strstr(list, " LISTEN\n") &&
               strstr(list, "udp   127.0.0.1:53 "),
           "netcfg:sockets lists httpd's listener and the DNS forwarder");
    tap_ok(system("/bin/busybox netstat -tln 2>&1 | "
                  "grep -Eq '^tcp +0 +0 0\\.0\\.0\\.0:" HTTPD_PORT " +0\\.0\\.0\\.0:\\* +LISTEN'") == 0 &&
               system("/bin/busybox netstat -tuan 2>&1 | grep -q -e 'No such file' -e 'netstat:'") != 0,
           "busybox netstat -tln shows it too (/proc/net/tcp), and netstat -tuan finds every file");
}

/* BusyBox httpd serves files the host fetches with curl; the host says when it is done. */
static void test_httpd(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(SOCK_PORT)};
    struct timeval tv = {.tv_sec = 300};
    int l = socket(AF_INET, SOCK_STREAM, 0), c, one = 1;
    char line[32] = "";

    mkdir("/tmp/www", 0755);
    if (!tap_ok(pattern_file("/tmp/www/small", 1024) && pattern_file("/tmp/www/big", HTTPD_BIG),
                "the pattern in /tmp/www: 1 KiB and %d MiB", HTTPD_BIG >> 20))
        return;
    tap_ok(system("/bin/busybox httpd -p " HTTPD_PORT " -h /tmp/www") == 0,
           "busybox httpd -p " HTTPD_PORT " starts");
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0)
        return;
    test_httpd_parallel();
    test_sockets_list();
    printf("httpd ready\n");
    fflush(stdout);
    c = accept(l, NULL, NULL);
    tap_ok(c >= 0 && read(c, line, sizeof(line) - 1) > 0 && !strncmp(line, "done", 4),
           "the host says it fetched");
    close(c);
    close(l);
    unlink("/tmp/www/big");
}

/* The pid serving scheme once it is no longer old (init restarted it), waiting
 * up to 10 s: the new pid, or 0 or old when it did not come. */
static int restarted(const char *scheme, int old)
{
    int pid = -1;

    for (int i = 0; i < 1000 && (pid <= 0 || pid == old); i++) {
        sleep_ms(10);
        pid = scheme_pid(scheme);
    }
    return pid;
}

/* The card's driver killed under a connection: the connection fails, init
 * restarts the driver, netd finds the card again and gets its address. */
static void test_driver_killed(void)
{
    int pid = scheme_pid("net.virtio"), again, st;
    pid_t reader;

    if (!tap_ok(pid > 0, "sys:schemes names virtio-netd's pid"))
        return;
    if ((reader = fork()) == 0) {
        struct sockaddr_in a = host_addr(server_port);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || send(fd, "hold\n", 5, 0) != 5)
            _exit(3);
        _exit(recv(fd, buf, 1, 0) < 0 && (errno == ECONNRESET || errno == ECONNABORTED) ? 0 : 1);
    }
    sleep_ms(1000);
    kill(pid, SIGKILL);
    waitpid(reader, &st, 0);
    tap_ok(exited_with(st, 0), "a socket's blocked recv fails when the card's driver dies (%d)",
           WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    again = restarted("net.virtio", pid);
    tap_ok(again > 0 && again != pid, "init restarts virtio-netd (pid %d -> %d)", pid, again);
    tap_ok(wait_bound(BOUND_WAIT_MS) != NULL, "netd finds the card again and gets its address");
    tap_ok(fetch(64 * 1024), "and a new connection fetches from the host");
}

/* netd killed under a connection: the blocked read fails, init restarts it. */
static void test_netd_killed(void)
{
    int pid = scheme_pid("tcp"), again, st, sst;
    pid_t reader, sreader;

    if (!server_port || !tap_ok(pid > 0, "sys:schemes names netd's pid"))
        return;
    if ((reader = fork()) == 0) {
        int fd = host_connect(0);
        if (fd < 0 || !write_full(fd, "hold\n", 5))
            _exit(3);
        _exit(read(fd, buf, 1) < 0 && (errno == ENODEV || errno == EIO) ? 0 : 1);
    }
    if ((sreader = fork()) == 0) {
        struct sockaddr_in a = host_addr(server_port);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || send(fd, "hold\n", 5, 0) != 5)
            _exit(3);
        _exit(recv(fd, buf, 1, 0) < 0 && errno == ECONNRESET ? 0 : 1);
    }
    sleep_ms(1000);
    kill(pid, SIGKILL);
    waitpid(reader, &st, 0);
    waitpid(sreader, &sst, 0);
    tap_ok(exited_with(sst, 0), "a socket's blocked recv fails with ECONNRESET when netd dies (%d)",
           WIFEXITED(sst) ? WEXITSTATUS(sst) : -1);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "a read on a connection fails (ENODEV or EIO) when netd dies (%d)",
           WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    again = restarted("tcp", pid);
    tap_ok(again > 0 && again != pid, "init restarts netd (pid %d -> %d)", pid, again);
    tap_ok(wait_bound(BOUND_WAIT_MS) != NULL, "the new netd gets its address again");
    tap_ok(fetch(64 * 1024), "and a new connection fetches from the host");
}

int main(void)
{
    test_netcfg();
    test_server();
    if (udp_port)
        test_udp_bound();
    test_client();
    if (server_port) {
        test_socket_client();
        test_socket_nonblock();
        test_wget();
        test_socket_server();
        test_loopback_and_ping();
        test_names();
        test_interfaces();
        test_httpd();
        test_driver_killed();
    }
    test_udp_connected();
    test_netd_killed();
    return tap_done();
}
