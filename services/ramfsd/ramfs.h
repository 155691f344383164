/* services/ramfsd/ramfs.h: the in-memory tree behind the file: scheme: nodes
 * (files and directories), path lookup, and the initfs seed. One thread, so
 * no locks: the daemon handles one request at a time. */
#ifndef ANVIL_SERVICES_RAMFSD_RAMFS_H
#define ANVIL_SERVICES_RAMFSD_RAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAMFS_NAME_MAX 255

struct ramfs_node {
    uint64_t ino;
    bool dir;
    unsigned mode;                  /* permission bits only */
    char name[RAMFS_NAME_MAX + 1];
    struct ramfs_node *parent;      /* NULL: the root, or unlinked */
    struct ramfs_node *child;       /* directories: first entry */
    struct ramfs_node *last;        /* directories: last entry (appends keep readdir order) */
    struct ramfs_node *next;        /* the next entry in the parent */
    uint8_t *data;                  /* files: cap bytes, size used */
    size_t size, cap;
    int64_t mtime_sec;
    uint32_t mtime_nsec;
    unsigned opens;                 /* open handles; an unlinked node lives until 0 */
    bool linked;
};

/* The root directory (created on first use). */
struct ramfs_node *ramfs_root(void);
/* The node at path ("" is the root; no leading '/'): 0, -ENOENT or -ENOTDIR. */
int ramfs_lookup(const char *path, struct ramfs_node **out);
/* The directory that would hold path, and its last component in leaf:
 * 0, -ENOENT, -ENOTDIR, -ENAMETOOLONG, or -EEXIST for the root itself. */
int ramfs_lookup_parent(const char *path, struct ramfs_node **dir, char leaf[RAMFS_NAME_MAX + 1]);
/* The entry name in dir, or NULL. */
struct ramfs_node *ramfs_find(struct ramfs_node *dir, const char *name);
/* A new file or directory called name in dir: 0 or -ENOMEM. */
int ramfs_create(struct ramfs_node *dir, const char *name, bool is_dir, unsigned mode,
                 struct ramfs_node **out);
/* Take n out of its directory (to attach it elsewhere). */
void ramfs_detach(struct ramfs_node *n);
/* Take n out of its directory for good: freed now, or at its last close. */
void ramfs_remove(struct ramfs_node *n);
/* Put a detached n into dir as name. */
void ramfs_attach(struct ramfs_node *dir, struct ramfs_node *n, const char *name);
/* Drop one open handle of n (frees an unlinked node at the last). */
void ramfs_release(struct ramfs_node *n);
/* Make a file len bytes long (new bytes are zero): 0 or -ENOMEM. */
int ramfs_resize(struct ramfs_node *n, size_t len);
/* Set n's modification time to now. */
void ramfs_touch(struct ramfs_node *n);

/* Copy the tree under src (e.g. "initfs:/") into dir: files copied, 0 or -errno. */
int ramfs_seed(const char *src, struct ramfs_node *dir);

#endif
