/* image/initfs.c: packs the image's root tree ([[files]]) into the initfs archive
 * that GRUB hands the kernel as a module. */
#include "initfs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpio.h"

#define INITFS_DIR_PERM 0755

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

static int add_file(struct cpio_writer *w, const struct mf_file *f)
{
    const char *name = f->path + 1;     /* archive names are relative */
    size_t len;
    char *data;

    if (f->text) {
        cpio_add_file(w, name, f->mode, f->text, strlen(f->text));
        return 0;
    }
    data = util_read_file(f->source, &len);
    if (!data) {
        util_err("%s: %s", f->source, strerror(errno));
        return -1;
    }
    cpio_add_file(w, name, f->mode, data, len);
    free(data);
    return 0;
}

#define INITFS_PROGRAM_PERM 0755

/* Files and programs in one list; a path given twice is an error. */
static const struct mf_file **gather(const struct manifest *m, const struct pkg_outputs *progs,
                                     struct mf_file *prog_files, size_t *len)
{
    size_t n = m->files_len + progs->len;
    const struct mf_file **all = xcalloc(n, sizeof *all);

    for (size_t i = 0; i < m->files_len; i++)
        all[i] = &m->files[i];
    for (size_t i = 0; i < progs->len; i++) {
        prog_files[i] = (struct mf_file){.path = progs->v[i].path, .source = progs->v[i].file,
                                         .mode = INITFS_PROGRAM_PERM};
        all[m->files_len + i] = &prog_files[i];
    }
    qsort(all, n, sizeof *all, by_path);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(all[i - 1]->path, all[i]->path))
            continue;
        util_err("initfs: %s is both a [[files]] entry and a package's program", all[i]->path);
        free(all);
        return NULL;
    }
    *len = n;
    return all;
}

int initfs_build(const struct manifest *m, const struct pkg_outputs *programs,
                 struct strbuf *out)
{
    struct cpio_writer w = {.mtime = util_source_date_epoch()};
    struct mf_file *prog_files = xcalloc(programs->len, sizeof *prog_files);
    struct argv done = {0};
    size_t n = 0;
    const struct mf_file **sorted = gather(m, programs, prog_files, &n);
    int ret = sorted ? 0 : -1;

    for (size_t i = 0; i < n && ret == 0; i++) {
        add_parents(&w, sorted[i]->path + 1, &done);
        ret = add_file(&w, sorted[i]);
    }
    cpio_finish(&w);
    free(sorted);
    free(prog_files);
    argv_free(&done);
    if (ret < 0) {
        sb_free(&w.out);
        return -1;
    }
    *out = w.out;
    return 0;
}
