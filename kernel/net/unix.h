/* kernel/net/unix.h: AF_UNIX sockets inside the net/unix*.c files: the
 * socket record, its receive queue and its name. Single CPU, interrupts off
 * in the kernel: no locks; every sleeper re-reads what it waits for. */
#ifndef ANVIL_NET_UNIX_H
#define ANVIL_NET_UNIX_H

#include "net/socket.h"

/* struct sockaddr_un: sun_family and 108 bytes of sun_path. */
#define UNIX_PATH_MAX 108
#define UNIX_ADDR_MAX (2 + UNIX_PATH_MAX)
/* A bound name's key: the canonical path (scheme_path_format), or the
 * abstract name's bytes after a 0 byte. */
#define UNIX_KEY_MAX 320

struct unix_name {
    uint8_t addr[UNIX_ADDR_MAX];   /* as bind gave it (getsockname shows it) */
    unsigned addrlen;              /* 0: not bound */
    char key[UNIX_KEY_MAX];
    unsigned keylen;
};

/* One message (datagram, record) or run of stream bytes in a receive queue. */
struct unix_skb {
    struct unix_skb *next;
    size_t len, off, cap;          /* bytes held, bytes already read (stream), room */
    struct file **files;           /* SCM_RIGHTS in flight (references), or NULL */
    unsigned nfiles;
    struct sock_cred cred;         /* the sender's */
    unsigned addrlen;              /* the sender's name (datagrams) */
    uint8_t addr[UNIX_ADDR_MAX];
    uint8_t data[];
};

enum unix_state { UNIX_UNCONNECTED, UNIX_LISTENING, UNIX_CONNECTED };

struct unix_sock {
    struct socket *sock;           /* NULL for a connection not accepted yet */
    int type;
    enum unix_state state;
    struct unix_sock *peer;        /* cleared when the peer goes (a scan of all) */
    bool peer_gone;                /* was connected, the peer closed */
    bool rcv_shut, snd_shut;       /* SHUT_RD here or SHUT_WR there; and the reverse */
    struct unix_name name;
    struct sock_cred cred;         /* of the process that made it */
    struct sock_cred peer_cred;    /* SO_PEERCRED */
    /* receive queue */
    struct unix_skb *rq_head, *rq_tail;
    size_t rq_bytes;               /* capacity + headers: what the buffer limit counts */
    unsigned rq_count, rq_fds;     /* messages, fds in flight in them */
    unsigned inflight;             /* how many queued messages carry this socket's file */
    /* listening: connections not accepted yet (each an embryo with sock NULL) */
    struct unix_sock *acc_head, *acc_tail;
    unsigned nacc, backlog;
    struct unix_sock *acc_next;
    struct unix_sock *listener;    /* an embryo's listener */
    struct unix_sock *all_next;    /* every unix socket (unix.c) */
};

/* unix.c */
struct unix_sock *unix_all(void);
/* The receive buffer limit of u. */
size_t unix_rcvbuf(const struct unix_sock *u);
/* Free u: its queue, its embryos, its links from others. */
void unix_destroy(struct unix_sock *u);
/* Wake those who wait for u's state (and poll). */
void unix_wake(struct unix_sock *u);

/* unix_name.c: parse a sockaddr_un (bind, connect, sendto) relative to the
 * caller's working directory: 0 or -errno (EINVAL, ENAMETOOLONG). */
int unix_name_parse(const void *addr, unsigned len, struct unix_name *out);
/* The live socket bound to the name's key, or NULL. */
struct unix_sock *unix_name_find(const struct unix_name *n);
/* Resolve a target for connect or sendto: 0 and *out, or ENOENT (no path
 * bound), ECONNREFUSED (no abstract name), EPROTOTYPE (another type). */
int unix_name_target(const void *addr, unsigned len, int type, struct unix_sock **out);
/* An abstract name nobody holds ("\0" and five hex digits), for autobind. */
int unix_name_auto(struct unix_name *out);
/* Whether bind to n must say EADDRINUSE: a socket holds it, or a file is
 * at that path. */
bool unix_name_exists(const struct unix_name *n);

/* unix_msg.c */
long unix_send(struct socket *s, struct sock_msg *m, bool nonblock);
long unix_recv(struct socket *s, struct sock_msg *m, bool nonblock);
void unix_queue_flush(struct unix_sock *u);
long unix_inq(struct socket *s);

#endif
