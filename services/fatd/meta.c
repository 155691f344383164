/* services/fatd/meta.c: the per-directory Unix metadata tables (see meta.h),
 * parsed from the directory's hidden metadata file on first use, kept in a
 * small cache, and written back whole when they change: new text over the
 * old, then the file cut to length, so a cut mid-way leaves lines to parse. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "meta.h"

#define META_TABLES 16
#define META_DEFAULT_PERM 0755
#define META_RO_PERM 0555
#define META_LINE_MAX (FAT_NAME_BYTES + 40)
#define META_ATTR (FAT_ATTR_HIDDEN | FAT_ATTR_SYSTEM | FAT_ATTR_ARCHIVE)

struct meta_rec {
    char *name;
    struct fat_meta m;
};

struct meta_table {
    uint32_t dir;           /* 0: unused */
    uint64_t used;
    struct meta_rec *recs;
    size_t n;
};

struct meta_cache {
    struct meta_table t[META_TABLES];
    uint64_t tick;
};

void meta_default(uint8_t attr, struct fat_meta *m)
{
    bool dir = attr & FAT_ATTR_DIR;

    m->mode = (dir ? S_IFDIR : S_IFREG) |
              (!dir && (attr & FAT_ATTR_RO) ? META_RO_PERM : META_DEFAULT_PERM);
    m->uid = m->gid = 0;
}

static void table_clear(struct meta_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->recs[i].name);
    free(t->recs);
    *t = (struct meta_table){0};
}

void meta_forget(struct fat_vol *v, uint32_t dir)
{
    for (int i = 0; v->meta && i < META_TABLES; i++)
        if (v->meta->t[i].dir == dir)
            table_clear(&v->meta->t[i]);
}

void meta_free(struct fat_vol *v)
{
    for (int i = 0; v->meta && i < META_TABLES; i++)
        table_clear(&v->meta->t[i]);
    free(v->meta);
    v->meta = NULL;
}

static int add_rec(struct meta_table *t, const char *name, const struct fat_meta *m)
{
    struct meta_rec *bigger = realloc(t->recs, (t->n + 1) * sizeof(*bigger));
    char *copy = strdup(name);

    if (bigger)
        t->recs = bigger;
    if (!bigger || !copy) {
        free(copy);
        return -ENOMEM;
    }
    t->recs[t->n++] = (struct meta_rec){.name = copy, .m = *m};
    return 0;
}

/* One line "MODE UID GID NAME" into t; a malformed line is skipped (the
 * file is disk input: never trusted). */
static int parse_line(struct meta_table *t, char *line)
{
    struct fat_meta m;
    char *end;
    unsigned long mode = strtoul(line, &end, 8), uid, gid;

    if (end == line || *end != ' ')
        return 0;
    uid = strtoul(end + 1, &end, 10);
    if (*end != ' ')
        return 0;
    gid = strtoul(end + 1, &end, 10);
    if (*end != ' ' || !fat_name_ok(end + 1) || mode > 0177777 || uid > UINT32_MAX ||
        gid > UINT32_MAX)
        return 0;
    m = (struct fat_meta){.mode = (uint32_t)mode, .uid = (uint32_t)uid, .gid = (uint32_t)gid};
    if (!S_ISREG(m.mode) && !S_ISDIR(m.mode) && !S_ISLNK(m.mode))
        return 0;
    return add_rec(t, end + 1, &m);
}

static int parse(struct meta_table *t, char *text, size_t len)
{
    char *p = text, *nl;
    int err;

    text[len] = '\0';
    for (; (nl = strchr(p, '\n')); p = nl + 1) {
        *nl = '\0';
        if (nl - p < META_LINE_MAX && (err = parse_line(t, p)) < 0)
            return err;
    }
    return 0;
}

/* The metadata file of dir, held, or NULL (*err -ENOENT when there is none). */
static struct fat_node *meta_file(struct fat_vol *v, struct fat_node *dir, bool create, int *err)
{
    struct fat_found f = {0};
    int64_t now = (int64_t)time(NULL);

    if ((*err = fat_dir_find(v, dir->first, FAT_META_NAME, &f)) == 0)
        return fat_node_get(v, dir->first, &f, err);
    if (*err != -ENOENT || !create)
        return NULL;
    f = (struct fat_found){.attr = META_ATTR, .mtime = now, .atime = now, .crtime = now};
    if ((*err = fat_dir_add(v, dir->first, FAT_META_NAME, &f)) < 0)
        return NULL;
    return fat_node_get(v, dir->first, &f, err);
}

static int load(struct fat_vol *v, struct fat_node *dir, struct meta_table *t)
{
    struct fat_node *n;
    char *text;
    long got;
    int err;

    t->dir = dir->first;
    if (!(n = meta_file(v, dir, false, &err)))
        return err == -ENOENT ? 0 : err;
    size_t len = n->size < META_FILE_MAX ? n->size : META_FILE_MAX;
    if (!(text = malloc(len + 1))) {
        fat_node_put(v, n);
        return -ENOMEM;
    }
    got = fat_read(v, n, text, len, 0);
    err = got < 0 ? (int)got : parse(t, text, (size_t)got);
    free(text);
    fat_node_put(v, n);
    return err;
}

/* dir's table, loaded if need be: NULL with *err set. */
static struct meta_table *table(struct fat_vol *v, struct fat_node *dir, int *err)
{
    struct meta_table *t = NULL;

    if (!v->meta && !(v->meta = calloc(1, sizeof(*v->meta)))) {
        *err = -ENOMEM;
        return NULL;
    }
    for (int i = 0; i < META_TABLES; i++) {
        struct meta_table *c = &v->meta->t[i];
        if (c->dir == dir->first) {
            c->used = ++v->meta->tick;
            return c;
        }
        if (!t || c->used < t->used)
            t = c;
    }
    table_clear(t);
    t->used = ++v->meta->tick;
    if ((*err = load(v, dir, t)) < 0) {
        table_clear(t);
        return NULL;
    }
    return t;
}

static struct meta_rec *find(struct meta_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (fat_name_eq(t->recs[i].name, name))
            return &t->recs[i];
    return NULL;
}

int meta_get(struct fat_vol *v, struct fat_node *dir, const char *name, uint8_t attr,
             struct fat_meta *m)
{
    struct meta_table *t;
    struct meta_rec *r;
    int err = 0;

    meta_default(attr, m);
    if (dir == v->root && !name[0])
        return 0;
    if (!(t = table(v, dir, &err)))
        return err;
    if ((r = find(t, name)) && ((r->m.mode & S_IFMT) == S_IFDIR) == !!(attr & FAT_ATTR_DIR))
        *m = r->m;   /* a line whose type disagrees with the entry is stale: ignored */
    return 0;
}

/* Write t back into dir's metadata file (removing the file when t is empty). */
static int save(struct fat_vol *v, struct fat_node *dir, struct meta_table *t)
{
    char *text = NULL, line[META_LINE_MAX];
    size_t len = 0;
    struct fat_node *n;
    int err = 0;
    long put;

    for (size_t i = 0; i < t->n; i++) {
        int k = snprintf(line, sizeof line, "%o %u %u %s\n", (unsigned)t->recs[i].m.mode,
                         (unsigned)t->recs[i].m.uid, (unsigned)t->recs[i].m.gid, t->recs[i].name);
        char *bigger = realloc(text, len + (size_t)k + 1);
        if (!bigger) {
            free(text);
            return -ENOMEM;
        }
        text = bigger;
        memcpy(text + len, line, (size_t)k);
        len += (size_t)k;
    }
    if (!(n = meta_file(v, dir, len > 0, &err))) {
        free(text);
        return err == -ENOENT ? 0 : err;
    }
    if (len == 0) {
        fat_node_put(v, n);
        return fat_remove_meta(v, dir);
    }
    put = fat_write(v, n, text, len, 0, (int64_t)time(NULL));
    err = put < 0 ? (int)put : fat_truncate(v, n, len, (int64_t)time(NULL));
    free(text);
    fat_node_put(v, n);
    return err;
}

static bool is_default(uint8_t attr, const struct fat_meta *m)
{
    struct fat_meta d;

    meta_default(attr, &d);
    return d.mode == m->mode && d.uid == m->uid && d.gid == m->gid;
}

static void drop(struct meta_table *t, struct meta_rec *r)
{
    free(r->name);
    *r = t->recs[--t->n];
}

int meta_set(struct fat_vol *v, struct fat_node *dir, const char *name, uint8_t attr,
             const struct fat_meta *m)
{
    struct meta_table *t;
    struct meta_rec *r;
    int err = 0;

    if (dir == v->root && !name[0])
        return 0;   /* the root has no entry and no line: it keeps the defaults */
    if (!(t = table(v, dir, &err)))
        return err;
    r = find(t, name);
    if (is_default(attr, m)) {
        if (!r)
            return 0;
        drop(t, r);
    } else if (r) {
        r->m = *m;
    } else if ((err = add_rec(t, name, m)) < 0) {
        return err;
    }
    return save(v, dir, t);
}

int meta_remove(struct fat_vol *v, struct fat_node *dir, const char *name)
{
    struct meta_table *t;
    struct meta_rec *r;
    int err = 0;

    if (!(t = table(v, dir, &err)))
        return err;
    if (!(r = find(t, name)))
        return 0;
    drop(t, r);
    return save(v, dir, t);
}
