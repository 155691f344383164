/* services/ramfsd/node.c: the tree of files and directories and path lookup
 * (see ramfs.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ramfs.h"

#define ROOT_MODE 0755

static struct ramfs_node *root;
static uint64_t next_ino = 1;

static struct ramfs_node *node_new(bool is_dir, unsigned mode)
{
    struct ramfs_node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->ino = next_ino++;
    n->dir = is_dir;
    n->mode = mode & 07777;
    n->linked = true;
    ramfs_touch(n);
    return n;
}

struct ramfs_node *ramfs_root(void)
{
    if (!root)
        root = node_new(true, ROOT_MODE);
    return root;
}

void ramfs_touch(struct ramfs_node *n)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    n->mtime_sec = ts.tv_sec;
    n->mtime_nsec = (uint32_t)ts.tv_nsec;
}

struct ramfs_node *ramfs_find(struct ramfs_node *dir, const char *name)
{
    for (struct ramfs_node *c = dir->child; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* The next component of *p into name, advancing *p: its length, or -ENAMETOOLONG. */
static int component(const char **p, char name[RAMFS_NAME_MAX + 1])
{
    size_t len = strcspn(*p, "/");

    if (len > RAMFS_NAME_MAX)
        return -ENAMETOOLONG;
    memcpy(name, *p, len);
    name[len] = '\0';
    *p += len;
    while (**p == '/')
        (*p)++;
    return (int)len;
}

int ramfs_lookup(const char *path, struct ramfs_node **out)
{
    struct ramfs_node *n = ramfs_root();
    char name[RAMFS_NAME_MAX + 1];
    int len;

    if (!n)
        return -ENOMEM;
    while (*path == '/')
        path++;
    while (*path) {
        if ((len = component(&path, name)) < 0)
            return len;
        if (!n->dir)
            return -ENOTDIR;
        if (!(n = ramfs_find(n, name)))
            return -ENOENT;
    }
    *out = n;
    return 0;
}

int ramfs_lookup_parent(const char *path, struct ramfs_node **dir, char leaf[RAMFS_NAME_MAX + 1])
{
    struct ramfs_node *n = ramfs_root();
    int len;

    if (!n)
        return -ENOMEM;
    while (*path == '/')
        path++;
    if (!*path)
        return -EEXIST;
    for (;;) {
        if ((len = component(&path, leaf)) < 0)
            return len;
        if (!*path)
            break;
        if (!(n = ramfs_find(n, leaf)))
            return -ENOENT;
        if (!n->dir)
            return -ENOTDIR;
    }
    *dir = n;
    return 0;
}

void ramfs_attach(struct ramfs_node *dir, struct ramfs_node *n, const char *name)
{
    strcpy(n->name, name);
    n->parent = dir;
    n->next = NULL;
    n->linked = true;
    if (dir->last)
        dir->last->next = n;
    else
        dir->child = n;
    dir->last = n;
    ramfs_touch(dir);
}

int ramfs_create(struct ramfs_node *dir, const char *name, bool is_dir, unsigned mode,
                 struct ramfs_node **out)
{
    struct ramfs_node *n = node_new(is_dir, mode);

    if (!n)
        return -ENOMEM;
    ramfs_attach(dir, n, name);
    *out = n;
    return 0;
}

static void node_free(struct ramfs_node *n)
{
    free(n->data);
    free(n);
}

void ramfs_detach(struct ramfs_node *n)
{
    struct ramfs_node *dir = n->parent, **at = &dir->child, *prev = NULL;

    while (*at != n) {
        prev = *at;
        at = &(*at)->next;
    }
    *at = n->next;
    if (dir->last == n)
        dir->last = prev;
    ramfs_touch(dir);
    n->parent = NULL;
    n->next = NULL;
    n->linked = false;
}

void ramfs_remove(struct ramfs_node *n)
{
    ramfs_detach(n);
    if (n->opens == 0)
        node_free(n);
}

void ramfs_release(struct ramfs_node *n)
{
    if (n->opens > 0)
        n->opens--;
    if (n->opens == 0 && !n->linked)
        node_free(n);
}

int ramfs_resize(struct ramfs_node *n, size_t len)
{
    if (len > n->cap) {
        size_t cap = n->cap ? n->cap : 64;
        uint8_t *bigger;
        while (cap < len)
            cap *= 2;
        if (!(bigger = realloc(n->data, cap)))
            return -ENOMEM;
        n->data = bigger;
        n->cap = cap;
    }
    if (len > n->size)
        memset(n->data + n->size, 0, len - n->size);
    n->size = len;
    ramfs_touch(n);
    return 0;
}
