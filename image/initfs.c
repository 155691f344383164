/* image/initfs.c: packs the image's root tree ([[files]], [tree], programs and their
 * links) into the initfs archive that GRUB hands the kernel as a module. With
 * image.root = "ramfs" the initfs holds only what is needed before the root is
 * served (init, the services, their table) and a second archive with the whole
 * tree, INITFS_ROOT_ARCHIVE, which ramfsd unpacks and serves as file:. With
 * "live" the same tree goes in as a FAT32 volume, FATROOT_INITFS_PATH, which fatd
 * serves from RAM; "disk" puts that volume on the disk and keeps the archive in
 * the initfs, which ramfsd serves when no driver finds the disk (live fallback). */
#include "initfs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"
#include "fatroot.h"
#include "manifest_check.h"

#define INITFS_DIR_PERM 0755
#define INITFS_PROGRAM_PERM 0755

static int by_path(const void *a, const void *b)
{
    const struct mf_file *const *fa = a, *const *fb = b;

    return strcmp((*fa)->path, (*fb)->path);
}

/* Emit each parent folder of name once, outermost first. */
static void add_parents(struct cpio_writer *w, const char *name, struct argv *done)
{
    for (const char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
        char *dir = strndup(name, (size_t)(s - name));
        size_t i = 0;

        while (i < done->len && strcmp(done->v[i], dir))
            i++;
        if (i == done->len) {
            cpio_add_dir(w, dir, INITFS_DIR_PERM);
            argv_add(done, dir);
        }
        free(dir);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_host_file(struct cpio_writer *w, const char *name, const char *host,
                         unsigned perm)
{
    size_t len;
    char *data = util_read_file(host, &len);

    if (!data) {
        util_err("%s: %s", host, strerror(errno));
        return -1;
    }
    cpio_add_file(w, name, perm, data, len);
    free(data);
    return 0;
}

/* A host folder's contents under name, in name order (reproducible): folders
 * 0755, files 0755 or 0644 by their owner's x bit, symlinks as they are. */
static int add_host_tree(struct cpio_writer *w, const char *name, const char *host)
{
    struct argv names = {0};
    struct dirent *de;
    DIR *d = opendir(host);
    int ret = 0;

    if (!d) {
        util_err("%s: %s", host, strerror(errno));
        return -1;
    }
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            argv_add(&names, de->d_name);
    closedir(d);
    qsort(names.v, names.len, sizeof *names.v, by_name);
    for (size_t i = 0; i < names.len && ret == 0; i++) {
        char *sub = xasprintf("%s/%s", name, names.v[i]);
        char *path = util_path_join(host, names.v[i]);
        char target[4096];
        struct stat st;
        ssize_t n;
        if (lstat(path, &st) < 0) {
            util_err("%s: %s", path, strerror(errno));
            ret = -1;
        } else if (S_ISLNK(st.st_mode) && (n = readlink(path, target, sizeof target - 1)) > 0) {
            target[n] = '\0';
            cpio_add_symlink(w, sub, target);
        } else if (S_ISDIR(st.st_mode)) {
            cpio_add_dir(w, sub, INITFS_DIR_PERM);
            ret = add_host_tree(w, sub, path);
        } else if (S_ISREG(st.st_mode)) {
            ret = add_host_file(w, sub, path, st.st_mode & S_IXUSR ? 0755 : 0644);
        }
        free(sub);
        free(path);
    }
    argv_free(&names);
    return ret;
}

static int add_file(struct cpio_writer *w, const struct mf_file *f, struct argv *done)
{
    const char *name = f->path + 1;     /* archive names are relative */

    add_parents(w, name, done);
    if (f->kind == MF_FILE_DIR) {
        cpio_add_dir(w, name, f->mode);
        argv_add(done, name);
        return f->source ? add_host_tree(w, name, f->source) : 0;
    }
    if (f->kind == MF_FILE_LINK) {
        cpio_add_symlink(w, name, f->link);
        return 0;
    }
    if (f->text) {
        cpio_add_file(w, name, f->mode, f->text, strlen(f->text));
        return 0;
    }
    return add_host_file(w, name, f->source, f->mode);
}

/* Every entry of the tree, owned here: the manifest's files, the programs, and the
 * links the programs name (busybox --list-full). */
struct tree {
    struct mf_file *v;
    size_t len;
    struct argv owned;      /* strings made here */
};

static void tree_add(struct tree *t, struct mf_file f)
{
    t->v = xrealloc(t->v, (t->len + 1) * sizeof f);
    t->v[t->len++] = f;
}

static bool tree_has(const struct tree *t, const char *path)
{
    for (size_t i = 0; i < t->len; i++)
        if (!strcmp(t->v[i].path, path))
            return true;
    return false;
}

/* Run the built program with its links_from option; each line it prints is a
 * path that becomes a symlink to it, unless [[files]] already has that path. */
static int add_links(struct tree *t, const struct pkg_output *o)
{
    char *argv[] = {o->file, o->pkg->links_from, NULL};
    struct strbuf out = {0};
    int st = util_run_capture(argv, &out);

    if (st != 0) {
        util_err("package %s: `%s %s` failed (status %d)", o->pkg->name, o->path,
                 o->pkg->links_from, st);
        sb_free(&out);
        return -1;
    }
    for (char *line = strtok(out.buf ? out.buf : "", "\n"); line; line = strtok(NULL, "\n")) {
        char *path = line[0] == '/' ? xstrdup(line) : xasprintf("/%s", line);
        if (!mf_is_image_path(path) || !strcmp(path, o->path) || tree_has(t, path)) {
            free(path);
            continue;
        }
        argv_add(&t->owned, path);
        tree_add(t, (struct mf_file){.path = t->owned.v[t->owned.len - 1],
                                     .kind = MF_FILE_LINK, .link = o->path, .mode = 0777});
        free(path);
    }
    sb_free(&out);
    return 0;
}

static int gather(const struct manifest *m, const struct pkg_outputs *progs, struct tree *t)
{
    for (size_t i = 0; i < m->files_len; i++)
        tree_add(t, m->files[i]);
    for (size_t i = 0; i < progs->len; i++) {
        const struct pkg_output *o = &progs->v[i];
        if (tree_has(t, o->path)) {
            util_err("initfs: %s is both a [[files]] entry and a package's program", o->path);
            return -1;
        }
        tree_add(t, (struct mf_file){.path = o->path, .source = o->file,
                                     .mode = INITFS_PROGRAM_PERM, .boot = o->pkg->boot});
    }
    for (size_t i = 0; i < progs->len; i++)
        if (progs->v[i].pkg->links_from && add_links(t, &progs->v[i]) < 0)
            return -1;
    return 0;
}

/* Pack the entries whose boot flag is boot (or all of them) into w; done lists
 * the folders w has. */
static int pack(const struct tree *t, const struct mf_file **sorted, bool all, bool boot,
                struct cpio_writer *w, struct argv *done)
{
    int ret = 0;

    for (size_t i = 0; i < t->len && ret == 0; i++)
        if (all || sorted[i]->boot == boot)
            ret = add_file(w, sorted[i], done);
    return ret;
}

/* The root tree's archive into the initfs w: as it is (ramfs, and disk,
 * whose live fallback ramfsd serves), or as the FAT32 volume made from it in
 * scratch (live). The disk's root partition takes that volume (disk, live). */
static int add_root(const struct manifest *m, const struct strbuf *tree, const char *scratch,
                    struct cpio_writer *w, struct argv *done)
{
    bool fat_in_initfs = m->root == MF_ROOT_LIVE;
    const char *at = fat_in_initfs ? FATROOT_INITFS_PATH : INITFS_ROOT_ARCHIVE;
    char *img;
    int ret;

    add_parents(w, at + 1, done);
    if (!fat_in_initfs)
        cpio_add_file(w, at + 1, 0644, tree->buf, tree->len);
    if (!MF_ROOT_IS_FAT(m))
        return 0;
    if (!scratch) {
        util_err("initfs: a FAT32 root needs a scratch folder");
        return -1;
    }
    img = util_path_join(scratch, INITFS_LIVE_IMAGE);
    if ((ret = fatroot_build(m, tree->buf, tree->len, scratch, img)) == 0 && fat_in_initfs)
        ret = add_host_file(w, at + 1, img, 0644);
    free(img);
    return ret;
}

int initfs_build(const struct manifest *m, const struct pkg_outputs *programs,
                 const char *scratch, struct strbuf *out)
{
    struct cpio_writer w = {.mtime = util_source_date_epoch()};
    struct cpio_writer root = {.mtime = w.mtime};
    struct tree t = {0};
    struct argv done = {0}, root_done = {0};
    const struct mf_file **sorted = NULL;
    bool split = m->root == MF_ROOT_RAMFS || MF_ROOT_IS_FAT(m);
    int ret = gather(m, programs, &t);

    if (ret == 0) {
        sorted = xcalloc(t.len + 1, sizeof *sorted);
        for (size_t i = 0; i < t.len; i++)
            sorted[i] = &t.v[i];
        qsort(sorted, t.len, sizeof *sorted, by_path);
        ret = pack(&t, sorted, !split, true, &w, &done);
    }
    if (ret == 0 && split) {
        ret = pack(&t, sorted, true, false, &root, &root_done);
        cpio_finish(&root);
        if (ret == 0)
            ret = add_root(m, &root.out, scratch, &w, &done);
    }
    cpio_finish(&w);
    argv_free(&done);
    argv_free(&root_done);
    sb_free(&root.out);
    free(sorted);
    free(t.v);
    argv_free(&t.owned);
    if (ret < 0) {
        sb_free(&w.out);
        return -1;
    }
    *out = w.out;
    return 0;
}
