/* kernel/net/inet.h: AF_INET stream sockets inside net/inet*.c. A socket
 * holds a handle of netd's tcp: scheme once it connects or listens, opened
 * non-blocking in the caller's namespace; the kernel does the blocking (a
 * POLL request and a sleep), so O_NONBLOCK, MSG_DONTWAIT and the timeouts
 * are its own. Single CPU, interrupts off in the kernel: no locks. */
#ifndef ANVIL_NET_INET_H
#define ANVIL_NET_INET_H

#include "net/socket.h"

/* struct sockaddr_in (Linux include/uapi/linux/in.h). */
struct inet_addr {
    uint16_t family;            /* AF_INET */
    uint16_t port;              /* network order */
    uint8_t addr[4];            /* network order */
    uint8_t zero[8];
};
_Static_assert(sizeof(struct inet_addr) == 16, "ABI: struct sockaddr_in is 16 bytes");

enum inet_state { INET_NEW, INET_CONNECTING, INET_CONNECTED, INET_LISTENING };

struct inet_sock {
    enum inet_state state;
    struct file *conn;          /* the tcp: handle (a reference), or NULL */
    struct inet_addr local;     /* bind's address, or netd's answer (zeros: none) */
    struct inet_addr peer;      /* connect's address, or netd's answer for an accepted one */
    bool bound;
    bool rd_shut, wr_shut;      /* shutdown: kept by the kernel (netd has no request) */
    bool nodelay;               /* TCP_NODELAY: kept, and given to netd with each connection */
};

/* inet.c, shared with inet_dgram.c */
/* A sockaddr_in from the caller: 0 and *out, or -EINVAL, -EAFNOSUPPORT. */
int inet_addr_parse(const void *addr, unsigned len, struct inet_addr *out);
/* The port in host order. */
unsigned inet_port(const struct inet_addr *a);
/* Open one of netd's paths for the caller, never blocking in netd. No such
 * scheme (netd not running) is ENETUNREACH; a namespace without it, EACCES. */
int inet_open(const char *path, struct file **out);
/* The same with other open flags (netcfg: is read-only). */
int inet_open_flags(const char *path, unsigned flags, struct file **out);
/* Ask netd for the handle's local or peer address (ANVIL_TCP_NAME) into
 * *out when it knows it; else *out stays. */
void inet_name_ask(struct file *conn, bool peer, struct inet_addr *out);

/* inet_io.c */
/* Wait until conn is ready for events or fails, until deadline (0: no
 * limit): 0 and *revents, or -EAGAIN (the deadline), -EINTR, -ENOMEM. */
int inet_wait(struct file *conn, unsigned events, uint64_t deadline, unsigned *revents);
long inet_send(struct socket *s, struct sock_msg *m, bool nonblock);
long inet_recv(struct socket *s, struct sock_msg *m, bool nonblock);

#endif
