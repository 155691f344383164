/* kernel/net/socket.h: BSD sockets as a file type. A struct socket holds what
 * every family shares (type, options, timeouts); its family's ops table does
 * the rest. AF_UNIX lives in the kernel (net/unix.c); AF_INET forwards the
 * same ops to the TCP/IP daemon's tcp:, udp: and icmp: schemes (net/inet.c,
 * net/inet_dgram.c, docs/sockets.md). */
#ifndef ANVIL_NET_SOCKET_H
#define ANVIL_NET_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs/file.h"

/* Linux values (include/linux/socket.h, include/uapi/asm-generic/socket.h). */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_SEQPACKET 5
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC O_CLOEXEC
#define S_IFSOCK 0140000u

#define SOL_SOCKET 1
#define IPPROTO_IP 0
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21
#define SO_ACCEPTCONN 30
#define SO_SNDBUFFORCE 32
#define SO_RCVBUFFORCE 33
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67
#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2

#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

/* The largest socket address (struct sockaddr_storage). */
#define SOCK_ADDR_MAX 128
/* Most fds one message carries (Linux's SCM_MAX_FD). */
#define SOCK_FDS_MAX 253
/* Buffer sizes: the default, and the range SO_RCVBUF/SO_SNDBUF clamp to. */
#define SOCK_BUF_DEFAULT (208u << 10)
#define SOCK_BUF_MIN 4096u
#define SOCK_BUF_MAX (1u << 20)

struct socket;

/* struct ucred (SO_PEERCRED, SCM_CREDENTIALS). */
struct sock_cred {
    int32_t pid;
    uint32_t uid, gid;
};

/* One user buffer of a send or receive, checked against the address space. */
struct sock_iov {
    uintptr_t base;
    size_t len;
};

/* One send or receive: the data as a cursor over checked user buffers, the
 * address and the control data, all already copied in (or to be copied out
 * by net/sockcall.c). */
struct sock_msg {
    const struct sock_iov *iov;
    size_t iovlen;
    size_t len;                 /* sum of the buffers */
    size_t iov_i, iov_off;      /* cursor */
    unsigned flags;             /* MSG_* asked for */
    unsigned out_flags;         /* MSG_TRUNC, MSG_CTRUNC given back */
    uint8_t addr[SOCK_ADDR_MAX];
    unsigned addrlen;           /* send: 0 for none; receive: the sender's */
    struct file **files;        /* SCM_RIGHTS: send: references to pass; receive: taken */
    unsigned nfiles;
    unsigned files_max;         /* receive: room in files */
    bool has_cred;              /* send: SCM_CREDENTIALS given; receive: to report */
    struct sock_cred cred;
};

/* Copy n bytes between the message's user buffers (at its cursor) and
 * kernel memory: 0 or -EFAULT. */
int sock_msg_copy_in(struct sock_msg *m, void *dst, size_t n);
int sock_msg_copy_out(struct sock_msg *m, const void *src, size_t n);

/* What a family does. A NULL op is EOPNOTSUPP. Addresses are kernel copies;
 * nonblock is O_NONBLOCK or MSG_DONTWAIT. */
struct sock_family {
    int family;
    int (*create)(struct socket *s, int protocol);
    int (*pair)(struct socket *a, struct socket *b);
    int (*bind)(struct socket *s, const void *addr, unsigned len);
    int (*connect)(struct socket *s, const void *addr, unsigned len, bool nonblock);
    int (*listen)(struct socket *s, int backlog);
    /* Attach the next waiting connection to ns (a fresh socket of s's type). */
    int (*accept)(struct socket *s, struct socket *ns, bool nonblock);
    long (*send)(struct socket *s, struct sock_msg *m, bool nonblock);
    long (*recv)(struct socket *s, struct sock_msg *m, bool nonblock);
    int (*shutdown)(struct socket *s, int how);
    /* The address (peer: the peer's) into addr (SOCK_ADDR_MAX bytes): its length or -errno. */
    int (*getname)(struct socket *s, void *addr, bool peer);
    int (*peercred)(struct socket *s, struct sock_cred *c);
    /* Options of other levels than SOL_SOCKET (NULL: EOPNOTSUPP). */
    int (*setopt)(struct socket *s, int level, int name, const void *val, unsigned len);
    /* SO_ERROR: an error that came since (a non-blocking connect's), or 0 (NULL: none). */
    int (*pending_error)(struct socket *s);
    unsigned (*poll)(struct socket *s);
    /* A user scheme's handle that poll(2) asks instead (NULL op or result: poll above). */
    struct file *(*poll_file)(struct socket *s);
    /* FIONREAD's answer. */
    long (*inq)(struct socket *s);
    void (*release)(struct socket *s);
};

struct socket {
    const struct sock_family *fam;
    struct file *file;          /* the file it belongs to (no reference) */
    int type;                   /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
    int protocol;
    int error;                  /* SO_ERROR: a pending error, cleared when read */
    unsigned rcvbuf, sndbuf;    /* SO_RCVBUF, SO_SNDBUF (bytes) */
    uint64_t rcvtimeo, sndtimeo; /* ns, 0: forever */
    bool reuseaddr, keepalive, broadcast, passcred, listening;
    void *priv;                 /* the family's */
};

/* A new socket file (flags: O_NONBLOCK): 0 and *out, or -errno
 * (EAFNOSUPPORT, EPROTONOSUPPORT, ESOCKTNOSUPPORT, ENOMEM). */
int socket_create(int family, int type, int protocol, unsigned flags, struct file **out);
/* A socket file for accept on ls to fill (its family's part comes with
 * the family's accept): 0 and *out, or -ENOMEM. */
int socket_create_accepted(struct socket *ls, unsigned flags, struct file **out);
/* The socket behind f, NULL when f is not one. */
struct socket *socket_of(struct file *f);
/* The deadline for a blocking wait with timeout ns (0: none). */
uint64_t socket_deadline(uint64_t timeout_ns);
/* A socket's stat: S_IFSOCK, an inode number made from obj. */
void socket_fill_stat(const void *obj, struct kstat *st);
/* True when f is a socket file. */
bool socket_is(struct file *f);
/* The file poll(2) should ask about f: a socket's scheme handle, else f. */
struct file *socket_poll_file(struct file *f);
/* Socket options at SOL_SOCKET (net/socket.c). */
int socket_setopt(struct socket *s, int level, int name, const void *val, unsigned len);
int socket_getopt(struct socket *s, int level, int name, void *val, unsigned *len);

extern const struct sock_family unix_family;
extern const struct sock_family inet_family;        /* SOCK_STREAM */
extern const struct sock_family inet_dgram_family;  /* SOCK_DGRAM, SOCK_RAW (ICMP) */

/* A path bound by an AF_UNIX socket lives in the kernel, not in the file
 * system (net/unix_name.c): stat and unlink of a path ask here first.
 * True when a socket holds the path: *st filled, or the name dropped. */
struct scheme_path;
bool socket_path_stat(struct scheme_path *sp, struct kstat *st);
bool socket_path_unlink(struct scheme_path *sp);

#endif
