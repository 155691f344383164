/* kernel/fs/file.h: open files ("handles"): a reference-counted struct
 * file with an ops table, and per-process fd tables. The scheme router of
 * the next issue plugs in here: every kind of file is just another ops
 * table. Read and write move data straight between the object and user
 * memory (ubuf is a user address). */
#ifndef ANVIL_FS_FILE_H
#define ANVIL_FS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* open(2) flags, Linux x86_64 values. */
#define O_ACCMODE 03
#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000
#define O_PATH 010000000

/* poll(2) events. */
#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020

/* File types for st_mode. */
#define S_IFMT 0170000u
#define S_IFIFO 0010000u
#define S_IFCHR 0020000u
#define S_IFDIR 0040000u
#define S_IFREG 0100000u
#define S_IFLNK 0120000u

/* struct stat of Linux x86_64 (arch/x86/include/uapi/asm/stat.h). */
struct kstat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks;
    int64_t st_atime_sec, st_atime_nsec;
    int64_t st_mtime_sec, st_mtime_nsec;
    int64_t st_ctime_sec, st_ctime_nsec;
    int64_t unused[3];
};
_Static_assert(sizeof(struct kstat) == 144, "ABI: struct stat is 144 bytes on x86_64");

struct file;
struct anvil_setattr;
struct anvil_statfs;

struct file_ops {
    long (*read)(struct file *f, uintptr_t ubuf, size_t len);
    long (*write)(struct file *f, uintptr_t ubuf, size_t len);
    /* Positional read for pread64 (NULL: -ESPIPE). */
    long (*pread)(struct file *f, uintptr_t ubuf, size_t len, uint64_t off);
    /* Positional write for pwrite64 (NULL: -ESPIPE). */
    long (*pwrite)(struct file *f, uintptr_t ubuf, size_t len, uint64_t off);
    int (*stat)(struct file *f, struct kstat *st);
    /* fsync (data_only: fdatasync), ftruncate (NULL: 0 and -EINVAL), and fcntl commands the kernel
     * does not handle itself (NULL: -EINVAL). */
    long (*fsync)(struct file *f, bool data_only);
    long (*truncate)(struct file *f, uint64_t len);
    long (*fcntl)(struct file *f, int cmd, uint64_t arg);
    long (*getdents)(struct file *f, uintptr_t ubuf, size_t len);
    long (*ioctl)(struct file *f, unsigned long cmd, uintptr_t arg);
    /* POLLIN/POLLOUT/POLLHUP as of now. */
    unsigned (*poll)(struct file *f);
    void (*release)(struct file *f);
    /* mmap of this file at [addr, addr + len) (page aligned, free) in the
     * caller's space with prot, from offset off; shared says MAP_SHARED:
     * 0 or -errno. NULL: -ENODEV. */
    long (*mmap)(struct file *f, uintptr_t addr, size_t len, unsigned prot, uint64_t off, bool shared);
    /* Positional read into kernel memory (exec reads programs with it);
     * NULL: the file cannot be executed. Bytes read (at most len) or -errno. */
    long (*kread)(struct file *f, void *buf, size_t len, uint64_t off);
    /* One write from kernel memory, whole or not at all for a message scheme
     * (NULL: the file takes none). Bytes written or -errno. */
    long (*kwrite)(struct file *f, const void *buf, size_t len, uint64_t off);
    /* chmod/chown/utimens on an open file (struct anvil_setattr, include/anvil/scheme.h):
     * 0 or -errno; NULL: -EPERM. */
    long (*setattr)(struct file *f, const struct anvil_setattr *a);
    /* fstatfs: 0 or -errno; NULL: generic numbers for a kernel file. */
    long (*statfs)(struct file *f, struct anvil_statfs *st);
    /* A directory's canonical path (for openat and fchdir); NULL: not one. */
    int (*dirpath)(struct file *f, char *buf, size_t size);
    bool seekable;
};

struct file {
    const struct file_ops *ops;
    unsigned refs;
    unsigned flags;           /* O_ACCMODE | O_APPEND | O_NONBLOCK */
    uint64_t offset;
    void *priv;
    /* fs/lock.c: the file's identity for locks, looked up once (a user
     * scheme's FSTAT); lock_known says whether lock_dev/lock_ino hold it. */
    bool lock_known;
    uint64_t lock_dev, lock_ino;
};

/* A new file with one reference; NULL when out of memory. */
struct file *file_new(const struct file_ops *ops, unsigned flags, void *priv);
void file_get(struct file *f);
void file_put(struct file *f);

/* A channel that every state change of a pollable file wakes, so poll()
 * sleeps on one thing. */
extern const char file_poll_chan;
void file_poll_notify(void);

#endif
