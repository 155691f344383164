/* services/lib/svc.h: the daemon library: register a scheme, then serve its
 * requests through a table of callbacks (struct scheme_ops). A daemon is the
 * table plus svc_register() and svc_serve(). Protocol: include/anvil/scheme.h. */
#ifndef ANVIL_SERVICES_LIB_SVC_H
#define ANVIL_SERVICES_LIB_SVC_H

#include <anvil/scheme.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A callback may return SVC_DEFER to answer later with svc_reply() (the
 * request stays pending in the kernel; its window stays mapped). */
#define SVC_DEFER (-4096L)

/* Who asks, and the request itself (for svc_reply after SVC_DEFER). */
struct svc_ctx {
    const struct anvil_packet *pkt;
    uint32_t pid;
    int server_fd;              /* the scheme the request came through */
};

/* Every callback returns >= 0 or -errno; a NULL one answers -ENOSYS (open:
 * -ENOENT; close, fsync: 0; lseek: computed from fstat). fsync finds
 * ANVIL_FSYNC_DATA in c->pkt->flags for fdatasync. */
struct scheme_ops {
    long (*open)(struct svc_ctx *c, const char *path, int flags, unsigned mode);
    long (*close)(struct svc_ctx *c, uint64_t h);
    long (*read)(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off);
    long (*write)(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off);
    long (*fstat)(struct svc_ctx *c, uint64_t h, struct anvil_stat *st);
    long (*fsync)(struct svc_ctx *c, uint64_t h);
    long (*ftruncate)(struct svc_ctx *c, uint64_t h, uint64_t len);
    /* Fill buf with anvil_dirent records (svc_dirent) from position pos on (0, or a
     * record's next): bytes. */
    long (*getdents)(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t pos);
    long (*unlink)(struct svc_ctx *c, const char *path);
    long (*mkdir)(struct svc_ctx *c, const char *path, unsigned mode);
    long (*rmdir)(struct svc_ctx *c, const char *path);
    long (*rename)(struct svc_ctx *c, const char *from, const char *to);
    long (*dup)(struct svc_ctx *c, uint64_t h, const char *name);
    long (*fcntl)(struct svc_ctx *c, uint64_t h, int cmd, uint64_t arg);
    long (*ioctl)(struct svc_ctx *c, uint64_t h, unsigned long req, void *buf, size_t len);
    long (*poll)(struct svc_ctx *c, uint64_t h, unsigned events);
    /* Path metadata (flags: ANVIL_PATH_*; the daemon resolves symbolic links
     * in its own scheme). NULL stat, readlink, statfs, fstatfs: -ENOSYS, and
     * the kernel falls back (open + fstat; EINVAL for an existing path; generic
     * numbers). NULL setattr, fsetattr, symlink, link: -EPERM. */
    long (*stat)(struct svc_ctx *c, const char *path, int flags, struct anvil_stat *st);
    long (*setattr)(struct svc_ctx *c, const char *path, int flags, const struct anvil_setattr *a);
    long (*fsetattr)(struct svc_ctx *c, uint64_t h, const struct anvil_setattr *a);
    long (*symlink)(struct svc_ctx *c, const char *target, const char *path);
    /* Put the target (no NUL) in buf (len bytes): its length. */
    long (*readlink)(struct svc_ctx *c, const char *path, char *buf, size_t len);
    long (*link)(struct svc_ctx *c, const char *from, const char *to, int flags);
    long (*statfs)(struct svc_ctx *c, const char *path, struct anvil_statfs *st);
    long (*fstatfs)(struct svc_ctx *c, uint64_t h, struct anvil_statfs *st);
    /* True: the daemon's files change only through its requests, so the
     * kernel may cache them (each OPEN of a regular file is answered with its
     * fstat and ANVIL_REPLY_STAT; docs/ipc.md). */
    bool cache_files;
};

/* Register scheme name: the server fd, or -errno. */
int svc_register(const char *name);
/* Tell the kernel what scheme (registered by this process) holds, for
 * /proc/mounts: source (a space in it is shown as \040) and a file system
 * type: 0 or -errno. */
int svc_describe(const char *scheme, const char *source, const char *type);
/* Serve fd forever (returns -errno when reading requests fails). */
int svc_serve(int fd, const struct scheme_ops *ops);
/* Handle the requests waiting now (fd may be O_NONBLOCK): 0 or -errno. For
 * daemons with their own loop (init polls several things). */
int svc_serve_once(int fd, const struct scheme_ops *ops);
/* Answer a deferred request. */
int svc_reply(int fd, const struct anvil_packet *req, long result);
/* Append one anvil_dirent to buf (room bytes left; next: the position after it): its
 * length, 0 if it does not fit. */
size_t svc_dirent(void *buf, size_t room, uint64_t ino, uint8_t type, const char *name,
                  uint64_t next);
/* Double *table (*count elements of elem bytes; first when empty), new ones
 * zeroed: 0, -ENFILE past max, -ENOMEM. */
int svc_grow(void **table, size_t *count, size_t elem, size_t first, size_t max);
/* The path component at path[*pos] into name (at most max bytes and a NUL);
 * *pos moves past it and its slashes, *last says nothing follows: 0 or
 * -ENAMETOOLONG. */
int svc_path_next(const char *path, size_t *pos, char *name, size_t max, bool *last);
/* "daemon: message" to the console (debug:). */
void svc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
