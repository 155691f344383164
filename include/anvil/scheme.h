/* include/anvil/scheme.h: the user scheme protocol: how a daemon registers a
 * scheme name and serves requests that the kernel routes to it. Shared by the
 * kernel and services/lib; see docs/schemes.md for the whole story. */
#ifndef ANVIL_SCHEME_H
#define ANVIL_SCHEME_H

#include <stdint.h>

/*
 * Registering: a daemon opens ":NAME" with O_CREAT | O_RDWR. The handle it gets
 * is the scheme's server end. Names are 1..ANVIL_SCHEME_NAME_MAX characters of
 * [a-z0-9_-]. A name that is taken gives EEXIST; one the daemon's namespace
 * does not allow gives EACCES.
 *
 * Serving: read() on the server handle returns whole struct anvil_packet
 * requests (as many as fit, at least one; it blocks until there is one, or
 * returns EAGAIN with O_NONBLOCK; poll() says POLLIN when one waits). write()
 * of whole packets delivers replies: for each, id names the request and result
 * is >= 0 or -errno. Replies may come in any order; a daemon may hold many
 * requests at once. A reply to an unknown id is ignored (its caller may have died).
 *
 * Data: a request that carries data (a path, a write's bytes) or wants data back
 * (a read, fstat, getdents) has a window: arg[0] is an address in the daemon's
 * own address space where the kernel has mapped a private copy of the caller's
 * bytes (at most ANVIL_SCHEME_WINDOW_MAX per request; the kernel splits bigger
 * reads and writes), arg[1] its length. The window stays mapped until the daemon
 * replies; for READ and GETDENTS the kernel copies back min(result, length)
 * bytes from it to the caller, for FSTAT and IOCTL the whole window (when
 * result >= 0). A path window is NUL-terminated and its length counts the NUL.
 * The daemon never sees the caller's memory.
 *
 * The kernel keeps file offsets itself (lseek never reaches the daemon) and
 * does not send LSEEK or DUP yet; they are reserved with these meanings and
 * services/lib answers them. poll/select on a client handle send one POLL per
 * fd per call; a held POLL's reply wakes the poller, and a reply that comes
 * after poll returned is dropped (a daemon without a poll callback answers,
 * through services/lib, with the events asked: always ready).
 *
 * Death: when the daemon exits or crashes, its name is released, every pending
 * and later request on its handles fails with ENODEV at once, and a restarted
 * daemon can register the name again.
 */

#define ANVIL_SCHEME_NAME_MAX 31
#define ANVIL_SCHEME_WINDOW_MAX (64 * 1024)

enum anvil_scheme_op {
    ANVIL_OP_OPEN = 1,      /* window: path (no scheme prefix, no leading '/'); flags: O_*; arg[2]: mode.
                               result: the daemon's handle number for the new file */
    ANVIL_OP_CLOSE,         /* handle */
    ANVIL_OP_READ,          /* handle; window: buffer to fill; arg[2]: file offset. result: bytes */
    ANVIL_OP_WRITE,         /* handle; window: the bytes; arg[2]: file offset. result: bytes */
    ANVIL_OP_LSEEK,         /* handle; arg[2]: offset; flags: whence. result: new offset */
    ANVIL_OP_FSTAT,         /* handle; window: struct anvil_stat to fill */
    ANVIL_OP_FSYNC,         /* handle */
    ANVIL_OP_FTRUNCATE,     /* handle; arg[2]: length */
    ANVIL_OP_GETDENTS,      /* handle; window: buffer for struct anvil_dirent records;
                               arg[2]: index of the first entry. result: bytes filled */
    ANVIL_OP_UNLINK,        /* window: path */
    ANVIL_OP_MKDIR,         /* window: path; arg[2]: mode */
    ANVIL_OP_RMDIR,         /* window: path */
    ANVIL_OP_RENAME,        /* window: "old\0new\0" (both paths within this scheme) */
    ANVIL_OP_DUP,           /* handle; window: optional name. result: a new handle */
    ANVIL_OP_FCNTL,         /* handle; flags: cmd; arg[2]: argument (passed through) */
    ANVIL_OP_IOCTL,         /* handle; window: the argument buffer (in and out); arg[2]: request */
    ANVIL_OP_POLL,          /* handle; arg[2]: events wanted (POLLIN/POLLOUT). result: events ready
                               now; a daemon may hold the request and answer when one becomes ready */
};

struct anvil_packet {
    uint64_t id;            /* matches a reply to its request */
    uint32_t op;            /* enum anvil_scheme_op */
    uint32_t flags;         /* open flags (O_*), else 0 */
    uint64_t handle;        /* the daemon's handle number (from its OPEN or DUP reply) */
    uint64_t arg[3];        /* op-specific, see above */
    int64_t result;         /* reply: >= 0, or -errno */
    uint32_t pid;           /* the caller's process id */
    uint32_t uid;           /* the caller's user id */
};
_Static_assert(sizeof(struct anvil_packet) == 64, "ABI: a packet is 64 bytes");

/* What ANVIL_OP_FSTAT fills: the fields a scheme knows; the kernel fills the rest. */
struct anvil_stat {
    uint32_t mode;          /* S_IF* type and permission bits */
    uint32_t nlink;
    uint64_t size;
    uint64_t ino;
    int64_t mtime_sec;
    uint32_t mtime_nsec;
    uint32_t blksize;
};
_Static_assert(sizeof(struct anvil_stat) == 40, "ABI: anvil_stat is 40 bytes");

/* One ANVIL_OP_GETDENTS record: the kernel turns these into linux_dirent64. */
struct anvil_dirent {
    uint64_t ino;
    uint16_t reclen;        /* of this record, 8-byte aligned */
    uint8_t type;           /* DT_* */
    uint8_t namelen;
    char name[];            /* namelen bytes, then a NUL */
};

#endif
