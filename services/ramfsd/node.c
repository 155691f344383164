/* services/ramfsd/node.c: nodes and directory entries: creating, naming,
 * removing, resizing, times (see ramfs.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ramfs.h"

#define ROOT_MODE (S_IFDIR | 0755)
#define FIRST_CAP 64

static struct ramfs_node *root;
static uint64_t next_ino = 1;
static size_t bytes_used, nodes_used;   /* for statfs */

static struct ramfs_node *node_new(uint32_t mode, uint32_t uid, uint32_t gid)
{
    struct ramfs_node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->ino = next_ino++;
    n->mode = mode;
    n->uid = uid;
    n->gid = gid;
    ramfs_touch(n, RAMFS_ATIME | RAMFS_MTIME | RAMFS_CTIME);
    bytes_used += sizeof(*n);
    nodes_used++;
    return n;
}

static void node_free(struct ramfs_node *n)
{
    bytes_used -= sizeof(*n) + n->cap;
    nodes_used--;
    free(n->data);
    free(n);
}

struct ramfs_node *ramfs_root(void)
{
    if (!root && (root = node_new(ROOT_MODE, 0, 0))) {
        root->parent = root;
        root->nlink = 1;   /* named by the scheme itself */
    }
    return root;
}

void ramfs_touch(struct ramfs_node *n, unsigned which)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    if (which & RAMFS_ATIME)
        n->atime = ts;
    if (which & RAMFS_MTIME)
        n->mtime = ts;
    if (which & RAMFS_CTIME)
        n->ctime = ts;
}

uint32_t ramfs_nlink(const struct ramfs_node *n)
{
    uint32_t k = 2;

    if (!S_ISDIR(n->mode))
        return n->nlink;
    if (n->nlink == 0)
        return 0;   /* removed, still open */
    for (const struct ramfs_entry *e = n->entries; e; e = e->next)
        k += S_ISDIR(e->node->mode) ? 1 : 0;
    return k;
}

struct ramfs_entry *ramfs_find(struct ramfs_node *dir, const char *name)
{
    for (struct ramfs_entry *e = dir->entries; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

int ramfs_link(struct ramfs_node *dir, const char *name, struct ramfs_node *n)
{
    size_t len = strlen(name);
    struct ramfs_entry *e = malloc(sizeof(*e) + len + 1);

    if (!e)
        return -ENOMEM;
    memcpy(e->name, name, len + 1);
    e->node = n;
    e->next = NULL;
    if (dir->next_pos < RAMFS_FIRST_POS)
        dir->next_pos = RAMFS_FIRST_POS;
    e->pos = dir->next_pos++;
    if (dir->last)
        dir->last->next = e;
    else
        dir->entries = e;
    dir->last = e;
    n->nlink++;
    if (S_ISDIR(n->mode))
        n->parent = dir;
    ramfs_touch(dir, RAMFS_MTIME | RAMFS_CTIME);
    return 0;
}

int ramfs_create(struct ramfs_node *dir, const char *name, uint32_t mode, uint32_t uid,
                 uint32_t gid, struct ramfs_node **out)
{
    struct ramfs_node *n = node_new(mode, uid, gid);

    if (!n)
        return -ENOMEM;
    if (ramfs_link(dir, name, n) < 0) {
        node_free(n);
        return -ENOMEM;
    }
    *out = n;
    return 0;
}

void ramfs_unlink(struct ramfs_node *dir, struct ramfs_entry *e)
{
    struct ramfs_entry **at = &dir->entries, *prev = NULL;
    struct ramfs_node *n = e->node;

    while (*at != e) {
        prev = *at;
        at = &(*at)->next;
    }
    *at = e->next;
    if (dir->last == e)
        dir->last = prev;
    free(e);
    ramfs_touch(dir, RAMFS_MTIME | RAMFS_CTIME);
    ramfs_touch(n, RAMFS_CTIME);
    n->nlink--;
    if (n->nlink == 0 && S_ISDIR(n->mode))
        n->parent = n;   /* its old parent may go before its last close: ".." is itself */
    if (n->nlink == 0 && n->opens == 0)
        node_free(n);
}

void ramfs_release(struct ramfs_node *n)
{
    if (n->opens > 0)
        n->opens--;
    if (n->opens == 0 && n->nlink == 0 && n != root)
        node_free(n);
}

static int reserve(struct ramfs_node *n, size_t len)
{
    size_t cap = n->cap ? n->cap : FIRST_CAP;
    uint8_t *bigger;

    if (len <= n->cap)
        return 0;
    while (cap < len) {
        if (cap > SIZE_MAX / 2)
            return -EFBIG;
        cap *= 2;
    }
    if (!(bigger = realloc(n->data, cap)))
        return -ENOMEM;
    bytes_used += cap - n->cap;
    n->data = bigger;
    n->cap = cap;
    return 0;
}

int ramfs_extend_for(struct ramfs_node *n, size_t off, size_t len)
{
    int err = reserve(n, off + len);

    if (err)
        return err;
    if (off > n->size)   /* a hole reads as zeros; [off, off + len) is written next */
        memset(n->data + n->size, 0, off - n->size);
    n->size = off + len;
    return 0;
}

int ramfs_resize(struct ramfs_node *n, size_t len)
{
    int err = reserve(n, len);

    if (err)
        return err;
    if (len > n->size)
        memset(n->data + n->size, 0, len - n->size);
    n->size = len;
    ramfs_touch(n, RAMFS_MTIME | RAMFS_CTIME);
    return 0;
}

int ramfs_set_data(struct ramfs_node *n, const void *data, size_t len)
{
    uint8_t *exact;

    if (len > n->cap) {   /* seeded files and link targets: exactly their size */
        if (!(exact = realloc(n->data, len)))
            return -ENOMEM;
        bytes_used += len - n->cap;
        n->data = exact;
        n->cap = len;
    }
    memcpy(n->data, data, len);
    n->size = len;
    return 0;
}

size_t ramfs_bytes_used(void)
{
    return bytes_used;
}

size_t ramfs_nodes_used(void)
{
    return nodes_used;
}
