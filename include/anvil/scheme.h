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
    ANVIL_OP_FSYNC,         /* handle; flags: ANVIL_FSYNC_DATA for fdatasync */
    ANVIL_OP_FTRUNCATE,     /* handle; arg[2]: length */
    ANVIL_OP_GETDENTS,      /* handle; window: buffer for struct anvil_dirent records;
                               arg[2]: where to start: 0, or a record's next. result: bytes filled */
    ANVIL_OP_UNLINK,        /* window: path */
    ANVIL_OP_MKDIR,         /* window: path; arg[2]: mode */
    ANVIL_OP_RMDIR,         /* window: path */
    ANVIL_OP_RENAME,        /* window: "old\0new\0" (both paths within this scheme) */
    ANVIL_OP_DUP,           /* handle; window: optional name. result: a new handle */
    ANVIL_OP_FCNTL,         /* handle; flags: cmd; arg[2]: argument (passed through) */
    ANVIL_OP_IOCTL,         /* handle; window: the argument buffer (in and out); arg[2]: request */
    ANVIL_OP_POLL,          /* handle; arg[2]: events wanted (POLLIN/POLLOUT). result: events ready
                               now; a daemon may hold the request and answer when one becomes ready */
    /* Path metadata. Every path below is resolved by the daemon inside its own
     * scheme: symbolic links in the middle of a path are always followed, the
     * last component too unless flags has ANVIL_PATH_NOFOLLOW (see below). */
    ANVIL_OP_STAT,          /* window: path in; struct anvil_stat out (over the path, at offset 0;
                               the window is at least sizeof(struct anvil_stat)); flags: ANVIL_PATH_* */
    ANVIL_OP_SETATTR,       /* window: struct anvil_setattr, then the path; flags: ANVIL_PATH_* */
    ANVIL_OP_FSETATTR,      /* handle; window: struct anvil_setattr */
    ANVIL_OP_SYMLINK,       /* window: "target\0linkpath\0"; the target is stored as given */
    ANVIL_OP_READLINK,      /* window: path in; the link's target out (no NUL), at offset 0.
                               result: its length; EINVAL when the path is not a symbolic link */
    ANVIL_OP_LINK,          /* window: "existing\0newpath\0"; flags: ANVIL_PATH_FOLLOW (linkat's
                               AT_SYMLINK_FOLLOW), else a final link in existing is linked itself */
    ANVIL_OP_STATFS,        /* window: path in; struct anvil_statfs out, at offset 0 */
    ANVIL_OP_FSTATFS,       /* handle; window: struct anvil_statfs out */
};

/* A reply's flags (the request's are ignored in a reply). ANVIL_REPLY_STAT on
 * a successful OPEN: the daemon put the opened file's struct anvil_stat at the
 * window's start (the kernel makes OPEN windows at least that big) and
 * promises the file changes only through requests the kernel sends. The
 * kernel may then answer reads, fstat and later opens of a regular file from
 * its cache (docs/ipc.md). A daemon that echoes a request packet as its reply
 * must clear flags first. */
#define ANVIL_REPLY_STAT 0x80000000u

/* flags of the path ops above. */
#define ANVIL_PATH_NOFOLLOW 0x1   /* a symbolic link as the last component is the object itself */
#define ANVIL_PATH_FOLLOW 0x2     /* LINK: follow a final symbolic link in the existing path */
/* ANVIL_OP_FSYNC flags: only the data (fdatasync) */
#define ANVIL_FSYNC_DATA 0x1
/* Symbolic links: at most this many are followed in one lookup (then ELOOP);
 * a target is at most ANVIL_SYMLINK_MAX bytes. Absolute targets start at the
 * scheme's root, relative ones at the directory that holds the link. */
#define ANVIL_SYMLINK_LOOPS 40
#define ANVIL_SYMLINK_MAX 4095

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

/* What ANVIL_OP_FSTAT and ANVIL_OP_STAT fill: the fields a scheme knows; the
 * kernel fills the rest (st_dev). A zero blksize, nlink or blocks means the
 * kernel's default (4096, 1, size rounded up to 512-byte blocks). */
struct anvil_stat {
    uint32_t mode;          /* S_IF* type and permission bits */
    uint32_t nlink;
    uint64_t size;
    uint64_t ino;
    int64_t mtime_sec;
    uint32_t mtime_nsec;
    uint32_t blksize;
    uint32_t uid, gid;
    int64_t atime_sec;      /* last access */
    int64_t ctime_sec;      /* last status change */
    uint32_t atime_nsec, ctime_nsec;
    uint64_t rdev;          /* device files: the device number */
    uint64_t blocks;        /* 512-byte blocks allocated */
};
_Static_assert(sizeof(struct anvil_stat) == 88, "ABI: anvil_stat is 88 bytes");

/* ANVIL_OP_SETATTR / FSETATTR: change what valid says, and the status change
 * time with it. The kernel has already turned UTIME_NOW into the current time
 * and dropped UTIME_OMIT and -1 owners from valid. */
#define ANVIL_ATTR_MODE 0x01     /* permission bits (07777) of mode */
#define ANVIL_ATTR_UID 0x02
#define ANVIL_ATTR_GID 0x04
#define ANVIL_ATTR_SIZE 0x08     /* truncate(2) by path: regular files only (EISDIR, EINVAL) */
#define ANVIL_ATTR_ATIME 0x10
#define ANVIL_ATTR_MTIME 0x20

struct anvil_setattr {
    uint32_t valid;         /* ANVIL_ATTR_* */
    uint32_t mode;
    uint32_t uid, gid;
    uint64_t size;
    int64_t atime_sec, mtime_sec;
    uint32_t atime_nsec, mtime_nsec;
};
_Static_assert(sizeof(struct anvil_setattr) == 48, "ABI: anvil_setattr is 48 bytes");

/* ANVIL_OP_STATFS / FSTATFS: the numbers statfs(2) reports. */
struct anvil_statfs {
    uint64_t type;          /* f_type: a magic number naming the file system (e.g. RAMFS 0x858458f6) */
    uint64_t bsize;         /* block size in bytes */
    uint64_t blocks, bfree, bavail;
    uint64_t files, ffree;  /* inodes: total and free */
    uint64_t namelen;       /* longest name */
};
_Static_assert(sizeof(struct anvil_statfs) == 64, "ABI: anvil_statfs is 64 bytes");
/* f_type of the kernel's own schemes (they keep no blocks: the counts are 0). */
#define ANVIL_STATFS_KERNEL 0x414e564cu   /* "ANVL" */

/* One ANVIL_OP_GETDENTS record: the kernel turns these into linux_dirent64.
 * next is the position after this entry (its d_off): the arg[2] that continues
 * the listing behind it. Positions grow along a listing and are the daemon's own
 * cookies, so entries removed meanwhile shift nothing (rm -rf while reading). */
struct anvil_dirent {
    uint64_t ino;
    uint64_t next;
    uint16_t reclen;        /* of this record, 8-byte aligned */
    uint8_t type;           /* DT_* */
    uint8_t namelen;
    char name[];            /* namelen bytes, then a NUL */
};

#endif
