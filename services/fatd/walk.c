/* services/fatd/walk.c: path lookup on the volume. Symbolic links (files
 * whose metadata line says S_IFLNK, meta.h) are resolved here, inside the
 * scheme: an absolute target starts again at the root, a relative one at the
 * directory holding the link; links in the middle are always followed, the
 * last only when asked; more than ANVIL_SYMLINK_LOOPS is ELOOP. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fatd.h"

#define DEPTH_MAX 1024   /* directories deeper than this are not looked up by ".." */

struct walk {
    char path[FATD_PATH_MAX + 1];
    size_t pos;
    struct fat_node *cur;   /* held */
    int links;
};

int fatd_meta(struct fat_node *dir, const char *leaf, const struct fat_node *n,
              struct fat_meta *m)
{
    return meta_get(fatd_vol, dir, leaf, n->attr, m);
}

static bool is_link(struct fat_node *dir, const char *name, struct fat_node *n)
{
    struct fat_meta m;

    return !(n->attr & FAT_ATTR_DIR) && fatd_meta(dir, name, n, &m) == 0 && S_ISLNK(m.mode);
}

/* The directory node whose first cluster is cl, found in its parent (by the
 * ".." chain up to the root), with its name there: held, with *parent held
 * too, or NULL with *err. */
static struct fat_node *dir_node_at(uint32_t cl, char *name, struct fat_node **parent, int *err,
                                    int depth)
{
    static char scratch[FAT_NAME_BYTES + 1];   /* the parents' names are not needed */
    struct fat_vol *v = fatd_vol;
    struct fat_node *p, *gp;
    struct fat_found f;
    uint32_t pcl, slot = 0;
    int r;

    if (cl == v->root_cluster) {
        name[0] = '\0';
        *parent = v->root;
        return v->root;
    }
    if (depth > DEPTH_MAX) {
        *err = -EIO;   /* a ".." cycle on a damaged volume */
        return NULL;
    }
    if ((*err = fat_dir_parent(v, cl, &pcl)) < 0 ||
        !(p = dir_node_at(pcl, scratch, &gp, err, depth + 1)))
        return NULL;
    fat_node_put(v, gp);
    while ((r = fat_dir_next(v, pcl, &slot, &f)) > 0) {
        if ((f.attr & FAT_ATTR_DIR) && f.first == cl && strcmp(f.name, ".") && strcmp(f.name, "..")) {
            strcpy(name, f.name);
            *parent = p;
            return fat_node_get(v, pcl, &f, err);
        }
    }
    fat_node_put(v, p);
    *err = r < 0 ? r : -EIO;
    return NULL;
}

static struct fat_node *dir_node(uint32_t cl, char *name, struct fat_node **parent, int *err)
{
    return dir_node_at(cl, name, parent, err, 0);
}

/* The walk ends at directory d itself (the root, "." or ".."). */
static int at_dir(struct fatd_where *w, struct fat_node *d)
{
    struct fat_node *parent, *again;
    int err = 0;

    again = dir_node(d->first, w->leaf, &parent, &err);
    if (!again)
        return err;
    fat_node_put(fatd_vol, again);   /* the same node as d, which we hold already */
    w->dir = parent;
    w->node = d;
    return 0;
}

/* Replace what is left of the path by the link's target + "/" + rest. */
static int splice(struct walk *k, struct fat_node *link, const char *rest)
{
    char target[ANVIL_SYMLINK_MAX + 1], joined[FATD_PATH_MAX + 1];
    size_t rl = strlen(rest);
    long tl;

    if (++k->links > ANVIL_SYMLINK_LOOPS)
        return -ELOOP;
    if (link->size > ANVIL_SYMLINK_MAX)
        return -EIO;
    if ((tl = fat_read(fatd_vol, link, target, link->size, 0)) < 0)
        return (int)tl;
    if ((size_t)tl + 1 + rl > FATD_PATH_MAX)
        return -ENAMETOOLONG;
    memcpy(joined, target, (size_t)tl);
    joined[tl] = '/';
    memcpy(joined + tl + 1, rest, rl + 1);
    memcpy(k->path, joined, (size_t)tl + rl + 2);
    k->pos = 0;
    if (tl > 0 && target[0] == '/') {
        fat_node_put(fatd_vol, k->cur);
        k->cur = fatd_vol->root;
    }
    return 0;
}

static int component(struct walk *k, char *name, bool *last)
{
    return svc_path_next(k->path, &k->pos, name, FAT_NAME_BYTES, last);
}

/* Move to the parent of the current directory. */
static int up(struct walk *k)
{
    char name[FAT_NAME_BYTES + 1];
    struct fat_node *parent, *d;
    uint32_t pcl;
    int err = 0;

    if ((err = fat_dir_parent(fatd_vol, k->cur->first, &pcl)) < 0)
        return err;
    if (!(d = dir_node(pcl, name, &parent, &err)))
        return err;
    fat_node_put(fatd_vol, parent);
    fat_node_put(fatd_vol, k->cur);
    k->cur = d;
    return 0;
}

static int step(struct walk *k, bool follow, struct fatd_where *w, bool *done)
{
    char name[FAT_NAME_BYTES + 1];
    struct fat_node *n;
    bool last;
    int err;

    if ((err = component(k, name, &last)) < 0)
        return err;
    if (!(k->cur->attr & FAT_ATTR_DIR))
        return -ENOTDIR;
    *done = last;
    if (!strcmp(name, ".") || !strcmp(name, "..")) {
        if (name[1] && (err = up(k)) < 0)
            return err;
        if (last && (err = at_dir(w, k->cur)) == 0)
            k->cur = NULL;   /* handed to w */
        return err;
    }
    if (!(n = fat_lookup(fatd_vol, k->cur, name, &err))) {
        if (err != -ENOENT || !last)
            return err;
        *w = (struct fatd_where){.dir = k->cur};
        strcpy(w->leaf, name);
        k->cur = NULL;
        return 0;
    }
    if (is_link(k->cur, name, n) && (!last || follow)) {
        *done = false;
        err = splice(k, n, k->path + k->pos);
        fat_node_put(fatd_vol, n);
        return err;
    }
    if (last) {
        *w = (struct fatd_where){.dir = k->cur, .node = n};
        strcpy(w->leaf, name);
        k->cur = NULL;
        return 0;
    }
    fat_node_put(fatd_vol, k->cur);
    k->cur = n;
    return 0;
}

int fatd_resolve(const char *path, bool follow, struct fatd_where *w)
{
    static struct walk k;   /* one request at a time */
    bool done = false;
    int err = 0;

    if (strlen(path) > FATD_PATH_MAX)
        return -ENAMETOOLONG;
    strcpy(k.path, path);
    k.pos = 0;
    k.links = 0;
    k.cur = fatd_vol->root;
    while (!done && err == 0) {
        while (k.path[k.pos] == '/')
            k.pos++;
        if (!k.path[k.pos]) {
            if ((err = at_dir(w, k.cur)) == 0)
                k.cur = NULL;
            break;
        }
        err = step(&k, follow, w, &done);
    }
    if (k.cur)
        fat_node_put(fatd_vol, k.cur);
    return err;
}

int fatd_existing(const char *path, bool follow, struct fatd_where *w)
{
    int err = fatd_resolve(path, follow, w);

    if (err == 0 && !w->node) {
        fatd_where_put(w);
        return -ENOENT;
    }
    return err;
}

void fatd_where_put(struct fatd_where *w)
{
    if (w->node)
        fat_node_put(fatd_vol, w->node);
    if (w->dir)
        fat_node_put(fatd_vol, w->dir);
    w->node = w->dir = NULL;
}
