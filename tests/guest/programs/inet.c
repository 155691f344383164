/* tests/guest/programs/inet.c: AF_INET sockets over the loopback interface,
 * as Linux has them: UDP (ephemeral ports, sendto/recvfrom, connect's
 * filter, MSG_PEEK, MSG_TRUNC, FIONREAD, timeouts, errors), TCP (listen
 * without bind, 1 MiB each way between processes, shutdown(SHUT_WR) seen
 * as the end by the peer, 64 connections at once) and a ping through a raw
 * ICMP socket. In Anvil netd serves 127.0.0.1 with or without a card; on
 * Linux the raw socket needs root (it skips without). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

#define BIG (1024 * 1024)
#define PARALLEL 64
#define WAIT_MS 5000

static char buf[70000];

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int port_of(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);

    return getsockname(fd, (struct sockaddr *)&a, &len) < 0 ? -1 : ntohs(a.sin_port);
}

/* A UDP socket bound to 127.0.0.1 on a port the system picks. */
static int udp_bound(void)
{
    struct sockaddr_in a = loopback(0);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool readable(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static ssize_t send_to(int fd, const void *data, size_t len, int port)
{
    struct sockaddr_in a = loopback(port);

    return sendto(fd, data, len, 0, (struct sockaddr *)&a, sizeof(a));
}

static void test_udp_basics(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = udp_bound(), again;
    struct sockaddr_in from, dup;
    socklen_t len = sizeof(from);
    ssize_t n;

    tap_ok(a >= 0 && b >= 0, "UDP sockets: socket, and bind to 127.0.0.1 port 0");
    tap_ok(port_of(a) == 0, "an unbound UDP socket's name has port 0");
    tap_ok(port_of(b) > 0, "bind to port 0 picks a port (%d)", port_of(b));
    dup = loopback(port_of(b));
    again = socket(AF_INET, SOCK_DGRAM, 0);
    tap_fails_with(bind(again, (struct sockaddr *)&dup, sizeof(dup)), EADDRINUSE,
                   "a second bind of that port");
    close(again);
    tap_fails_with(send(a, "x", 1, 0), EDESTADDRREQ, "send without an address or a peer");
    tap_fails_with(send_to(a, "x", 1, 0), EINVAL, "sendto port 0");
    tap_is_long(send_to(a, "hello", 5, port_of(b)), 5, "sendto from an unbound socket");
    tap_ok(port_of(a) > 0, "which gave it a port (%d)", port_of(a));
    tap_ok(readable(b, WAIT_MS), "poll says POLLIN on the receiver");
    n = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    tap_ok(n == 5 && !memcmp(buf, "hello", 5), "recvfrom gets the datagram (%zd)", n);
    tap_ok(len == sizeof(from) && from.sin_family == AF_INET &&
               from.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && ntohs(from.sin_port) == port_of(a),
           "with its sender, 127.0.0.1:%d", port_of(a));
    tap_fails_with(recv(b, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "nothing more: EAGAIN");
    close(a);
    close(b);
}

static void test_udp_messages(void)
{
    int a = udp_bound(), b = udp_bound(), avail = -1, n;
    char small[10];
    struct iovec v = {small, sizeof(small)};
    struct msghdr mh = {.msg_iov = &v, .msg_iovlen = 1};
    struct timeval tv = {0, 200000};
    uint64_t t0;

    memset(buf, 'm', 100);
    send_to(a, buf, 100, port_of(b));
    readable(b, WAIT_MS);
    n = ioctl(b, FIONREAD, &avail);
    tap_ok(n == 0 && avail == 100, "FIONREAD: the next datagram's size (%d)", avail);
    tap_is_long(recv(b, small, sizeof(small), MSG_PEEK), 10, "MSG_PEEK takes a look");
    tap_is_long(recvmsg(b, &mh, 0), 10, "then recvmsg gets the same datagram's start");
    tap_ok(mh.msg_flags & MSG_TRUNC, "with MSG_TRUNC: the rest is gone");
    tap_fails_with(recv(b, small, 1, MSG_DONTWAIT), EAGAIN, "and the rest is not read later");
    send_to(a, buf, 100, port_of(b));
    readable(b, WAIT_MS);
    tap_is_long(recv(b, small, sizeof(small), MSG_TRUNC), 100, "recv(MSG_TRUNC) says the real length");
    memset(buf, 'L', 60000);
    send_to(a, buf, 60000, port_of(b));
    readable(b, WAIT_MS);
    memset(buf, 0, 60000);
    tap_ok(recv(b, buf, sizeof(buf), MSG_DONTWAIT) == 60000 && buf[0] == 'L' && buf[59999] == 'L',
           "a 60000-byte datagram comes whole");
    tap_fails_with(send_to(a, buf, 65508, port_of(b)), EMSGSIZE, "65508 bytes: EMSGSIZE");
    setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    t0 = mono_ns();
    tap_fails_with(recv(b, small, sizeof(small), 0), EAGAIN, "SO_RCVTIMEO ends a wait");
    tap_ok(mono_ns() - t0 >= 150 * NS_PER_MS, "after the timeout (%.0f ms)", ns_to_ms(mono_ns() - t0));
    close(a);
    close(b);
}

static void test_udp_connected(void)
{
    int a = udp_bound(), b = udp_bound(), c = udp_bound();
    struct sockaddr_in peer = loopback(port_of(a)), got, unspec = {.sin_family = AF_UNSPEC};
    socklen_t len = sizeof(got);

    tap_ok(connect(b, (struct sockaddr *)&peer, sizeof(peer)) == 0, "connect a UDP socket");
    tap_ok(getpeername(b, (struct sockaddr *)&got, &len) == 0 && ntohs(got.sin_port) == port_of(a),
           "getpeername names the peer");
    send_to(c, "other", 5, port_of(b));
    send_to(a, "peer", 4, port_of(b));
    tap_ok(readable(b, WAIT_MS), "a datagram comes");
    memset(buf, 0, 8);
    tap_ok(recv(b, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "peer", 4),
           "only the peer's: another sender's is dropped");
    tap_is_long(send(b, "back", 4, 0), 4, "send goes to the peer");
    tap_ok(readable(a, WAIT_MS) && recv(a, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "back", 4),
           "and the peer gets it");
    tap_ok(connect(b, (struct sockaddr *)&unspec, sizeof(unspec)) == 0, "connect(AF_UNSPEC) dissolves it");
    len = sizeof(got);
    tap_fails_with(getpeername(b, (struct sockaddr *)&got, &len), ENOTCONN, "no peer after that");
    close(a);
    close(b);
    close(c);
}

/* Timeouts on fd's waits, so that a lost connection fails the check, not the run. */
static void time_limits(int fd)
{
    struct timeval tv = {WAIT_MS / 1000, 0};

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int tcp_listener(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);

    if (l >= 0)
        time_limits(l);
    if (l >= 0 && listen(l, PARALLEL) < 0) {
        close(l);
        return -1;
    }
    return l;
}

static int tcp_connect(int port)
{
    struct sockaddr_in a = loopback(port);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd >= 0)
        time_limits(fd);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 7 + (i >> 9));
}

/* The server's side: read to the end checking the pattern, answer with the
 * count, then the same megabyte back. Exits 0 when all was right. */
static void serve_one(int l)
{
    int c = accept(l, NULL, NULL), keep = 0;
    socklen_t klen = sizeof(keep);
    size_t got = 0;
    bool same = true;
    ssize_t n;

    if (getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &keep, &klen) < 0 || !keep)
        _exit(2);   /* the listener's SO_KEEPALIVE is inherited, as on Linux */

    while (c >= 0 && (n = read(c, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++)
            same &= (uint8_t)buf[i] == pattern(got + (size_t)i);
        got += (size_t)n;
    }
    dprintf(c, "%zu %s\n", got, same ? "same" : "different");
    for (size_t i = 0; i < BIG; i += (size_t)n) {
        for (size_t k = 0; k < sizeof(buf); k++)
            buf[k] = (char)pattern(i + k);
        n = write(c, buf, BIG - i < sizeof(buf) ? BIG - i : sizeof(buf));
        if (n <= 0)
            _exit(1);
    }
    _exit(0);
}

/* The first bytes back through recvfrom, which on a stream names no sender. */
static size_t stream_recvfrom(int c, bool *same)
{
    struct sockaddr_in from;
    socklen_t flen = sizeof(from);
    ssize_t n = recvfrom(c, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);

    tap_ok(n > 0 && flen == 0, "recvfrom on a stream gives no address: its length says 0");
    for (ssize_t i = 0; i < n; i++)
        *same &= (uint8_t)buf[i] == pattern((size_t)i);
    return n > 0 ? (size_t)n : 0;
}

static void test_tcp_transfer(void)
{
    int l = tcp_listener(), port = l >= 0 ? port_of(l) : -1, c, st = -1, one = 1;
    char line[64] = "";
    size_t sent = 0, got = 0;
    bool same = true;
    ssize_t n;
    pid_t pid;

    tap_ok(port > 0, "listen without bind picks a port (%d)", port);
    tap_ok(setsockopt(l, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) == 0,
           "SO_KEEPALIVE on the listener (its connections inherit it)");
    if (port <= 0 || (pid = fork()) < 0)
        return;
    if (pid == 0)
        serve_one(l);
    close(l);
    c = tcp_connect(port);
    tap_ok(c >= 0, "connect to 127.0.0.1:%d", port);
    tap_ok(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0,
           "TCP_NODELAY on the connected socket");
    while (c >= 0 && sent < BIG) {
        for (size_t k = 0; k < sizeof(buf); k++)
            buf[k] = (char)pattern(sent + k);
        if ((n = write(c, buf, BIG - sent < sizeof(buf) ? BIG - sent : sizeof(buf))) <= 0)
            break;
        sent += (size_t)n;
    }
    tap_is_long((long)sent, BIG, "1 MiB written");
    tap_ok(shutdown(c, SHUT_WR) == 0, "shutdown(SHUT_WR)");
    tap_fails_with(send(c, "x", 1, MSG_NOSIGNAL), EPIPE, "a write after it: EPIPE");
    for (size_t i = 0; c >= 0 && i < sizeof(line) - 1 && read(c, line + i, 1) == 1 && line[i] != '\n'; i++)
        ;
    tap_ok(!strncmp(line, "1048576 same", 12), "the peer read it all and then the end (%.12s)", line);
    got = stream_recvfrom(c, &same);
    while (c >= 0 && (n = read(c, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++)
            same &= (uint8_t)buf[i] == pattern(got + (size_t)i);
        got += (size_t)n;
    }
    tap_ok(got == BIG && same, "and 1 MiB comes back the same way after the shutdown (%zu)", got);
    close(c);
    waitpid(pid, &st, 0);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "the server process ends well (its accepted socket had SO_KEEPALIVE)");
}

/* PARALLEL connections open at once, each accepted and answered. */
static void test_tcp_parallel(void)
{
    int l = tcp_listener(), port = l >= 0 ? port_of(l) : -1, fds[PARALLEL], opened = 0, answered = 0, st;
    pid_t pid;

    if (port <= 0 || (pid = fork()) < 0) {
        tap_ok(false, "a listener for the parallel connections");
        return;
    }
    if (pid == 0) {
        int kids[PARALLEL], n = 0;
        while (n < PARALLEL && (kids[n] = accept(l, NULL, NULL)) >= 0) {
            dprintf(kids[n], "%d\n", n);
            n++;
        }
        for (int i = 0; i < n; i++)
            close(kids[i]);
        _exit(n == PARALLEL ? 0 : 1);
    }
    close(l);
    for (int i = 0; i < PARALLEL; i++)
        if ((fds[i] = tcp_connect(port)) >= 0)
            opened++;
        else
            tap_diag("connection %d: %s", i, strerror(errno));
    for (int i = 0; i < PARALLEL; i++) {
        char line[8];
        if (fds[i] >= 0 && readable(fds[i], WAIT_MS) && read(fds[i], line, sizeof(line)) > 0)
            answered++;
        close(fds[i]);
    }
    waitpid(pid, &st, 0);
    tap_ok(opened == PARALLEL && answered == PARALLEL,
           "%d connections open at once, all answered (%d opened, %d answered)", PARALLEL, opened, answered);
}

static uint16_t checksum(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t sum = 0;

    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)(p[len - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons((uint16_t)~sum);
}

/* An echo request to 127.0.0.1 through a raw ICMP socket, and its reply. */
static void test_ping(void)
{
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    uint8_t req[64] = {8, 0, 0, 0, 0x12, 0x34, 0, 1};
    uint16_t sum;
    bool replied = false;
    uint64_t end = mono_ns() + WAIT_MS * NS_PER_MS;

    if (fd < 0 && (errno == EPERM || errno == EACCES)) {
        tap_skip("ping through a raw ICMP socket", "raw sockets need root on Linux");
        return;
    }
    tap_ok(fd >= 0, "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)");
    for (int i = 8; i < 64; i++)
        req[i] = (uint8_t)i;
    sum = checksum(req, sizeof(req));
    memcpy(req + 2, &sum, 2);
    tap_is_long(send_to(fd, req, sizeof(req), 0), sizeof(req), "an echo request to 127.0.0.1");
    while (!replied && mono_ns() < end && readable(fd, WAIT_MS)) {
        struct sockaddr_in from;
        socklen_t len = sizeof(from);
        ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
        size_t ihl = n > 0 ? (size_t)(buf[0] & 0xf) * 4 : 0;
        const uint8_t *icmp = (const uint8_t *)buf + ihl;
        replied = n >= (ssize_t)(ihl + sizeof(req)) && (buf[0] >> 4) == 4 && icmp[0] == 0 &&
                  !memcmp(icmp + 4, req + 4, sizeof(req) - 4) && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK);
    }
    tap_ok(replied, "the reply comes, IP header first, with the request's id, sequence and data");
    close(fd);
}

int main(void)
{
    test_udp_basics();
    test_udp_messages();
    test_udp_connected();
    test_tcp_transfer();
    test_tcp_parallel();
    test_ping();
    return tap_done();
}
