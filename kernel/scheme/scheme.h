/* kernel/scheme/scheme.h: the scheme registry. A scheme is a name ("sys",
 * "initfs", "ramfs") with an ops table; kernel schemes register at boot, user
 * schemes when a daemon opens ":name" (kernel/ipc/). The router (route.h)
 * turns paths into a scheme and a path inside it. */
#ifndef ANVIL_SCHEME_SCHEME_H
#define ANVIL_SCHEME_SCHEME_H

#include <stdbool.h>
#include <stddef.h>

#include <anvil/syscall.h>

#include "fs/file.h"

#define SCHEME_NAME_MAX 31   /* = ANVIL_SCHEME_NAME_MAX */

struct scheme;

/* Paths are inside the scheme, normalised, without a leading '/' ("" is its
 * root). A missing op is -EOPNOTSUPP (open: -ENOENT). */
struct scheme_ops {
    int (*open)(struct scheme *s, const char *path, unsigned flags, unsigned mode, struct file **out);
    int (*unlink)(struct scheme *s, const char *path);
    int (*mkdir)(struct scheme *s, const char *path, unsigned mode);
    int (*rmdir)(struct scheme *s, const char *path);
    int (*rename)(struct scheme *s, const char *from, const char *to);
    /* Metadata by path (flags: ANVIL_PATH_*, include/anvil/scheme.h). A scheme
     * without symbolic links may leave them NULL: stat is then open + the
     * file's stat, readlink EINVAL for what exists, setattr, symlink and link
     * EROFS, statfs generic numbers. */
    int (*stat)(struct scheme *s, const char *path, unsigned flags, struct kstat *st);
    int (*setattr)(struct scheme *s, const char *path, unsigned flags, const struct anvil_setattr *a);
    int (*symlink)(struct scheme *s, const char *target, const char *path);
    /* The target into buf (size bytes, no NUL): its length, or -errno. */
    long (*readlink)(struct scheme *s, const char *path, char *buf, size_t size);
    int (*link)(struct scheme *s, const char *from, const char *to, unsigned flags);
    int (*statfs)(struct scheme *s, const char *path, struct anvil_statfs *st);
};

struct scheme {
    char name[SCHEME_NAME_MAX + 1];
    const struct scheme_ops *ops;
    void *priv;
    bool user;                 /* served by a daemon */
    int owner_pid;             /* the daemon (user schemes) */
    /* What the daemon says it serves, for /proc/mounts ("" until it does). */
    char mnt_source[ANVIL_MOUNT_SOURCE_MAX];
    char mnt_type[ANVIL_MOUNT_TYPE_MAX];
    struct scheme *next;       /* registry list (single CPU, interrupts off: no lock) */
};

/* Add s: 0, or -EEXIST when the name is taken. */
int scheme_register(struct scheme *s);
void scheme_unregister(struct scheme *s);
struct scheme *scheme_find(const char *name);
/* Every registered scheme, oldest first through ->next. */
struct scheme *scheme_first(void);
/* 1..SCHEME_NAME_MAX characters of [a-z0-9_-.], not starting with '.'. */
bool scheme_name_valid(const char *name, size_t len);
/* Woken whenever a scheme comes or goes. */
extern const char scheme_changed_chan;

/* Register the kernel's schemes (debug, initfs, pipe, null, zero, rand,
 * sys, time, memory, irq, ioport). */
void scheme_init(void);

#endif
