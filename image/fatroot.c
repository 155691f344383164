/* image/fatroot.c: the live root volume. The tree (our own cpio archive) is
 * staged as host files (a symbolic link as a file holding its target), each
 * folder gets FATROOT_META_NAME with the modes and owners FAT cannot keep, and
 * mkfs.fat + mtools make the volume, folder by folder in name order so that
 * the same tree always gives the same bytes. docs/fat.md has the format. */
#define _GNU_SOURCE
#include "fatroot.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "tools.h"
#include "util.h"

#define NEWC_HEADER 110
#define NEWC_FIELDS 13
#define NEWC_MODE 1
#define NEWC_UID 2
#define NEWC_GID 3
#define NEWC_SIZE 6
#define NEWC_NAMESIZE 11
#define NEWC_TRAILER "TRAILER!!!"
#define DEFAULT_MODE_FILE (S_IFREG | 0755)   /* what fatd assumes without a line */
#define DEFAULT_MODE_DIR (S_IFDIR | 0755)
#define FAT_LABEL "ANVILROOT"

/* One entry of the archive. */
struct entry {
    const char *name;       /* relative, in the archive's buffer (NUL-terminated) */
    unsigned long f[NEWC_FIELDS];
    const char *data;
};

static size_t align4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

/* The entry at *off, moving *off past it: 1, 0 at the trailer, -1 if malformed. */
static int next_entry(const char *cpio, size_t len, size_t *off, struct entry *e)
{
    char field[9] = {0};

    if (*off + NEWC_HEADER > len || memcmp(cpio + *off, "070701", 6))
        return -1;
    for (int i = 0; i < NEWC_FIELDS; i++) {
        memcpy(field, cpio + *off + 6 + 8 * i, 8);
        e->f[i] = strtoul(field, NULL, 16);
    }
    e->name = cpio + *off + NEWC_HEADER;
    if (*off + NEWC_HEADER + e->f[NEWC_NAMESIZE] > len || e->name[e->f[NEWC_NAMESIZE] - 1])
        return -1;
    *off = align4(*off + NEWC_HEADER + e->f[NEWC_NAMESIZE]);
    e->data = cpio + *off;
    if (*off + e->f[NEWC_SIZE] > len)
        return -1;
    *off = align4(*off + e->f[NEWC_SIZE]);
    return strcmp(e->name, NEWC_TRAILER) ? 1 : 0;
}

/* The staging of one volume. */
struct stage {
    const char *root;           /* host folder that mirrors the volume */
    struct argv dirs;           /* relative folders, "" first, in archive order */
    struct strbuf *meta;        /* per folder: its metadata lines */
};

static size_t dir_index(struct stage *s, const char *dir)
{
    for (size_t i = 0; i < s->dirs.len; i++)
        if (!strcmp(s->dirs.v[i], dir))
            return i;
    return (size_t)-1;
}

/* Record e's metadata line in its folder unless it is what fatd assumes. */
static int note_meta(struct stage *s, const struct entry *e)
{
    const char *slash = strrchr(e->name, '/');
    char *dir = slash ? strndup(e->name, (size_t)(slash - e->name)) : xstrdup("");
    size_t i = dir_index(s, dir);
    unsigned long mode = e->f[NEWC_MODE];

    free(dir);
    if (i == (size_t)-1) {
        util_err("fatroot: %s comes before its folder", e->name);
        return -1;
    }
    if (mode == (S_ISDIR(mode) ? DEFAULT_MODE_DIR : DEFAULT_MODE_FILE) && !e->f[NEWC_UID] &&
        !e->f[NEWC_GID])
        return 0;
    sb_printf(&s->meta[i], "%lo %lu %lu %s\n", mode, e->f[NEWC_UID], e->f[NEWC_GID],
              slash ? slash + 1 : e->name);
    return 0;
}

/* Give a staged file the build's time (mcopy -m copies it onto the volume). */
static int stamp(const char *path)
{
    long long t = util_source_date_epoch();
    struct timeval tv[2] = {{.tv_sec = (time_t)t}, {.tv_sec = (time_t)t}};

    if (utimes(path, tv) < 0) {
        util_err("%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int stage_entry(struct stage *s, const struct entry *e)
{
    char *path = util_path_join(s->root, e->name);
    unsigned long mode = e->f[NEWC_MODE];
    int ret = 0;

    if (S_ISDIR(mode)) {
        ret = util_mkdirs(path, 0755);
        argv_add(&s->dirs, e->name);
        s->meta = xrealloc(s->meta, s->dirs.len * sizeof(*s->meta));
        s->meta[s->dirs.len - 1] = (struct strbuf){0};
    } else if (S_ISREG(mode) || S_ISLNK(mode)) {
        ret = util_write_scratch(path, e->data, e->f[NEWC_SIZE], 0644);
        if (ret == 0)
            ret = stamp(path);
    } else {
        free(path);
        return 0;   /* devices and pipes: the kernel serves those paths */
    }
    free(path);
    return ret < 0 ? -1 : note_meta(s, e);
}

static int stage_tree(struct stage *s, const char *cpio, size_t len)
{
    struct entry e;
    size_t off = 0;
    int r;

    argv_add(&s->dirs, "");
    s->meta = xcalloc(1, sizeof(*s->meta));
    if (util_mkdirs(s->root, 0755) < 0)
        return -1;
    while ((r = next_entry(cpio, len, &off, &e)) > 0)
        if (!strcmp(e.name, ".") ? 0 : stage_entry(s, &e) < 0)
            return -1;
    if (r < 0)
        util_err("fatroot: the root archive is malformed at byte %zu", off);
    return r;
}

/* mkfs.fat: FAT32 over size MiB, its volume id from the tree's hash. */
static int format(const struct manifest *m, const char *cpio, size_t len, const char *out)
{
    uint64_t h = util_fnv1a(UTIL_FNV_INIT, cpio, len);
    char *kib = xasprintf("%u", m->root_size_mib * 1024);
    char *id = xasprintf("%08x", (unsigned)(h ^ (h >> 32)));
    /* --invariant fixes mkfs.fat's times; -i after it replaces its fixed id */
    char *argv[] = {"mkfs.fat", "--invariant", "-F", "32", "-i", id, "-n", FAT_LABEL, "-C",
                    (char *)out, kib, NULL};
    int st;

    unlink(out);
    st = util_run_logged(argv);
    free(kib);
    free(id);
    return st == 0 ? 0 : -1;
}

/* Byte order, whatever the locale: the same volume everywhere. */
static int by_bytes(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* The names directly inside folder dir (archive order is name order). */
static void children(const char *root, const char *dir, struct argv *subdirs, struct argv *files)
{
    char *path = util_path_join(root, dir);
    struct dirent **names;
    int n = scandir(path, &names, NULL, by_bytes);

    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        char *full = util_path_join(path, nm);
        if (strcmp(nm, ".") && strcmp(nm, ".."))
            argv_add(util_is_dir(full) ? subdirs : files, full);
        free(full);
        free(names[i]);
    }
    free(n >= 0 ? names : NULL);
    free(path);
}

static int run_with(const char *tool, const char *img, const char *opt, struct argv *args,
                    const char *target)
{
    struct argv a = {0};
    int st;

    argv_add(&a, tool);
    argv_add(&a, "-i");
    argv_add(&a, img);
    if (opt)
        argv_add(&a, opt);
    for (size_t i = 0; i < args->len; i++)
        argv_add(&a, args->v[i]);
    if (target)
        argv_add(&a, target);
    st = util_run_logged(a.v);
    argv_free(&a);
    return st == 0 ? 0 : -1;
}

/* One folder's contents onto the volume: its folders, its files, its metadata. */
static int fill_dir(struct stage *s, size_t i, const char *img)
{
    struct argv subdirs = {0}, files = {0}, targets = {0};
    char *at = xasprintf("::/%s", s->dirs.v[i]);
    char *meta = xasprintf("%s/%s", at, FATROOT_META_NAME);
    int ret = 0;

    children(s->root, s->dirs.v[i], &subdirs, &files);
    for (size_t k = 0; k < subdirs.len; k++)
        argv_addf(&targets, "%s/%s", at, strrchr(subdirs.v[k], '/') + 1);
    if (targets.len)
        ret = run_with("mmd", img, NULL, &targets, NULL);
    if (ret == 0 && files.len)
        ret = run_with("mcopy", img, "-m", &files, at);
    if (ret == 0 && s->meta[i].len) {
        struct argv one = {0};
        argv_add(&one, meta);
        ret = run_with("mattrib", img, "+h", &one, NULL);
        argv_free(&one);
    }
    argv_free(&subdirs);
    argv_free(&files);
    argv_free(&targets);
    free(at);
    free(meta);
    return ret;
}

/* Each folder's metadata file. */
static int finish_stage(struct stage *s)
{
    for (size_t i = 0; i < s->dirs.len; i++) {
        char *dir = util_path_join(s->root, s->dirs.v[i]);
        char *path = util_path_join(dir, FATROOT_META_NAME);
        int ret = 0;
        if (s->meta[i].len && (ret = util_write_scratch(path, s->meta[i].buf, s->meta[i].len,
                                                        0644)) == 0)
            ret = stamp(path);
        free(dir);
        free(path);
        if (ret < 0)
            return -1;
    }
    return 0;
}

int fatroot_build(const struct manifest *m, const char *cpio, size_t len, const char *scratch,
                  const char *out)
{
    static const char *const needed[] = {"mkfs.fat", "mmd", "mcopy", "mattrib", NULL};
    struct stage s = {.root = util_path_join(scratch, "fatroot")};
    char *epoch = xasprintf("%lld", util_source_date_epoch());
    int ret = -1;

    /* mtools stamps what it makes with SOURCE_DATE_EPOCH, and skips its
     * geometry checks, which a partition image without a disk fails */
    setenv("SOURCE_DATE_EPOCH", epoch, 1);
    setenv("MTOOLS_SKIP_CHECK", "1", 1);
    if (tools_need(needed) < 0 || stage_tree(&s, cpio, len) < 0 || finish_stage(&s) < 0 ||
        format(m, cpio, len, out) < 0)
        goto out;
    ret = 0;
    for (size_t i = 0; i < s.dirs.len && ret == 0; i++)
        ret = fill_dir(&s, i, out);
    if (ret < 0)
        util_err("fatroot: filling %s failed", out);
out:
    for (size_t i = 0; i < s.dirs.len; i++)
        sb_free(&s.meta[i]);
    free(s.meta);
    argv_free(&s.dirs);
    util_remove_tree(s.root);
    free((char *)s.root);
    free(epoch);
    return ret;
}
