/* services/ramfsd/ramfs.h: the in-memory tree behind the file: scheme: nodes
 * (files, directories, symbolic links) named by directory entries (hard links
 * are several entries for one node), path lookup that follows symbolic links,
 * and seeding at start. One thread, so no locks: the daemon handles one
 * request at a time. */
#ifndef ANVIL_SERVICES_RAMFSD_RAMFS_H
#define ANVIL_SERVICES_RAMFSD_RAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#define RAMFS_NAME_MAX 255
#define RAMFS_FIRST_POS 2   /* listing positions: "." 0, ".." 1, then the entries */
#define RAMFS_PATH_MAX 4096
#define RAMFS_MAGIC 0x858458f6u   /* statfs f_type, the one Linux's ramfs reports */

/* Which times ramfs_touch sets to now. */
#define RAMFS_ATIME 0x1
#define RAMFS_MTIME 0x2
#define RAMFS_CTIME 0x4

struct ramfs_entry;

struct ramfs_node {
    uint64_t ino;
    uint32_t mode;                  /* S_IF* type and permission bits */
    uint32_t uid, gid;
    uint32_t nlink;                 /* entries naming it (directories: see ramfs_nlink) */
    struct timespec atime, mtime, ctime;
    struct ramfs_node *parent;      /* directories: the one holding it (the root: itself) */
    struct ramfs_entry *entries;    /* directories: first entry */
    struct ramfs_entry *last;       /* directories: last entry (appends keep readdir order) */
    uint64_t next_pos;              /* directories: the listing position of the next entry */
    uint8_t *data;                  /* files: contents; symbolic links: the target */
    size_t size, cap;
    unsigned opens;                 /* open handles; a node without names lives until 0 */
};

struct ramfs_entry {
    struct ramfs_entry *next;
    struct ramfs_node *node;
    uint64_t pos;                   /* its place in listings: grows with each entry, so a
                                       removal moves no other entry (getdents positions) */
    char name[];
};

/* Where a path leads (ramfs_resolve). */
struct ramfs_where {
    struct ramfs_node *dir;         /* the directory holding the last component */
    struct ramfs_entry *entry;      /* its entry; NULL when missing or when the path
                                       names a directory without one (the root, ".", "..") */
    struct ramfs_node *node;        /* what the path names; NULL when missing */
    char leaf[RAMFS_NAME_MAX + 1];  /* the last component */
};

/* The root directory (created on first use). */
struct ramfs_node *ramfs_root(void);
/* Resolve path (inside the scheme; "" is the root), following symbolic links
 * in the middle and, when follow, at the end: 0 (the last component may be
 * missing: node NULL), -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -ENOMEM. */
int ramfs_resolve(const char *path, bool follow, struct ramfs_where *w);
/* The entry name in dir, or NULL. */
struct ramfs_entry *ramfs_find(struct ramfs_node *dir, const char *name);
/* A new node of mode (type and permissions) named name in dir: 0 or -ENOMEM. */
int ramfs_create(struct ramfs_node *dir, const char *name, uint32_t mode, uint32_t uid,
                 uint32_t gid, struct ramfs_node **out);
/* Add another name for n in dir (a hard link, or a rename's new name): 0 or -ENOMEM. */
int ramfs_link(struct ramfs_node *dir, const char *name, struct ramfs_node *n);
/* Remove entry e from dir; its node goes when it has no names and no opens. */
void ramfs_unlink(struct ramfs_node *dir, struct ramfs_entry *e);
/* Drop one open handle of n (frees a node without names at the last). */
void ramfs_release(struct ramfs_node *n);
/* Grow n to off + len for a write of [off, off + len), which the caller
 * fills next (only a hole before off is zeroed): 0 or -errno. */
int ramfs_extend_for(struct ramfs_node *n, size_t off, size_t len);
/* Make a file len bytes long (new bytes are zero): 0, -ENOMEM or -EFBIG. */
int ramfs_resize(struct ramfs_node *n, size_t len);
/* Replace a node's data (a symbolic link's target): 0 or -ENOMEM. */
int ramfs_set_data(struct ramfs_node *n, const void *data, size_t len);
/* Set the times in which (RAMFS_*TIME) to now. */
void ramfs_touch(struct ramfs_node *n, unsigned which);
/* The link count stat reports (directories: 2 + subdirectories). */
uint32_t ramfs_nlink(const struct ramfs_node *n);
/* Bytes held by file data and nodes, and the number of nodes (statfs). */
size_t ramfs_bytes_used(void);
size_t ramfs_nodes_used(void);

/* Copy the tree under src (a directory of another scheme, e.g. "initfs:/")
 * into dir: 0 or the first -errno (what could be copied is kept). */
int ramfs_seed_tree(const char *src, struct ramfs_node *dir);
/* Unpack the cpio newc archive at path (regular files, directories, symbolic
 * links with their modes, owners and mtimes) into the tree: 0 or -errno. */
int ramfs_seed_cpio(const char *path);

#endif
