/* services/ramfsd/lookup.c: path lookup. Symbolic links are resolved here,
 * inside the scheme: an absolute target starts again at the scheme's root, a
 * relative one at the directory holding the link; links in the middle of a
 * path are always followed, the last one only when asked; more than
 * ANVIL_SYMLINK_LOOPS links in one lookup is ELOOP. */
#include <anvil/scheme.h>
#include <errno.h>
#include <string.h>

#include "ramfs.h"
#include "svc.h"

/* The lookup's state: the rest of the path to walk, in a buffer that a
 * followed link rewrites as "target/rest". */
struct walk {
    char path[RAMFS_PATH_MAX + 1];
    size_t pos;
    struct ramfs_node *cur;
    int links;
};

/* Replace what is left of the path with target + "/" + rest. */
static int splice(struct walk *k, const struct ramfs_node *link, const char *rest)
{
    char joined[RAMFS_PATH_MAX + 1];
    size_t tl = link->size, rl = strlen(rest);

    if (++k->links > ANVIL_SYMLINK_LOOPS)
        return -ELOOP;
    if (tl + 1 + rl > RAMFS_PATH_MAX)
        return -ENAMETOOLONG;
    memcpy(joined, link->data, tl);
    joined[tl] = '/';
    memcpy(joined + tl + 1, rest, rl + 1);
    memcpy(k->path, joined, tl + rl + 2);
    k->pos = 0;
    if (tl > 0 && link->data[0] == '/')
        k->cur = ramfs_root();
    return 0;
}

static int component(struct walk *k, char name[RAMFS_NAME_MAX + 1], bool *last)
{
    return svc_path_next(k->path, &k->pos, name, RAMFS_NAME_MAX, last);
}

/* The path ends at directory d without naming an entry (root, ".", ".."). */
static int at_dir(struct ramfs_where *w, struct ramfs_node *d, const char *leaf)
{
    w->dir = d->parent;
    w->entry = NULL;
    w->node = d;
    strcpy(w->leaf, leaf);
    return 0;
}

static int step(struct walk *k, bool follow, struct ramfs_where *w, bool *done)
{
    char name[RAMFS_NAME_MAX + 1];
    struct ramfs_entry *e;
    bool last;
    int err;

    if ((err = component(k, name, &last)) < 0)
        return err;
    if (!S_ISDIR(k->cur->mode))
        return -ENOTDIR;
    *done = last;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        if (name[1])
            k->cur = k->cur->parent;
        return last ? at_dir(w, k->cur, name) : 0;
    }
    if (!(e = ramfs_find(k->cur, name))) {
        if (!last)
            return -ENOENT;
        *w = (struct ramfs_where){.dir = k->cur};
        strcpy(w->leaf, name);
        return 0;
    }
    if (S_ISLNK(e->node->mode) && (!last || follow)) {
        *done = false;
        return splice(k, e->node, k->path + k->pos);
    }
    if (last) {
        *w = (struct ramfs_where){.dir = k->cur, .entry = e, .node = e->node};
        strcpy(w->leaf, name);
        return 0;
    }
    k->cur = e->node;
    return 0;
}

int ramfs_resolve(const char *path, bool follow, struct ramfs_where *w)
{
    static struct walk k;   /* one request at a time; too big for a daemon's stack frame habits */
    bool done = false;
    int err;

    if (!(k.cur = ramfs_root()))
        return -ENOMEM;
    if (strlen(path) > RAMFS_PATH_MAX)
        return -ENAMETOOLONG;
    strcpy(k.path, path);
    k.pos = 0;
    k.links = 0;
    while (!done) {
        while (k.path[k.pos] == '/')
            k.pos++;
        if (!k.path[k.pos])
            return at_dir(w, k.cur, "");
        if ((err = step(&k, follow, w, &done)) < 0)
            return err;
    }
    return 0;
}
