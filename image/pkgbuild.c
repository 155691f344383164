/* image/pkgbuild.c: compiles [packages] into static musl programs, with tcc
 * (fast) or gcc, in parallel and through the build cache. */
#define _GNU_SOURCE
#include "pkgbuild.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "jobs.h"
#include "tools.h"
#include "util.h"

#define MUSL_LIB "/usr/lib/x86_64-linux-musl"
#define MUSL_INCLUDE "/usr/include/x86_64-linux-musl"
#define TCC_LIB "/usr/lib/x86_64-linux-gnu/tcc"

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);

    return n > k && !strcmp(name + n - k, suffix);
}

/* The .c files of folder (sorted), and a key over every .c and .h in it (every
 * file, for a recipe: its patches and config count too). */
static void scan_folder(const struct mf_package *p, const char *folder, struct argv *srcs,
                        struct sha256 *key)
{
    struct dirent **names;
    int n = scandir(folder, &names, NULL, alphasort);

    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char *path = util_path_join(folder, name);
        bool keyed = p->build ? util_is_file(path)
                              : has_suffix(name, ".c") || has_suffix(name, ".h");
        if (keyed) {
            cache_key_str(key, name);
            cache_key_file(key, path);
        }
        if (has_suffix(name, ".c"))
            argv_add(srcs, path);
        free(path);
        free(names[i]);
    }
    free(n >= 0 ? names : NULL);
}

/* The package's own sources, then its library's (services/lib). */
static void scan_sources(const struct mf_package *p, struct argv *srcs, struct sha256 *key)
{
    size_t own;

    scan_folder(p, p->source, srcs, key);
    own = srcs->len;
    if (p->lib && own > 0) {
        cache_key_str(key, "lib");
        scan_folder(p, p->lib, srcs, key);
    }
}

/* The compiler line around the sources: tcc needs musl's start files named. */
static void compile_command(const struct mf_package *p, const char *srcroot,
                            const struct argv *srcs, const char *out, struct argv *a)
{
    bool tcc = !strcmp(p->cc, "tcc");

    argv_add(a, tcc ? "tcc" : "musl-gcc");
    argv_add(a, "-static");
    if (tcc) {
        argv_add(a, "-nostdinc");
        argv_add(a, "-nostdlib");
        argv_add(a, "-I" TCC_LIB "/include");
        argv_add(a, "-I" MUSL_INCLUDE);
    } else {
        argv_add(a, "-O2");
    }
    argv_addf(a, "-I%s/include", srcroot);
    if (p->lib)
        argv_addf(a, "-I%s", p->lib);
    for (size_t i = 0; i < p->cflags_len; i++)
        argv_add(a, p->cflags[i]);
    if (tcc) {
        argv_add(a, MUSL_LIB "/crt1.o");
        argv_add(a, MUSL_LIB "/crti.o");
    }
    for (size_t i = 0; i < srcs->len; i++)
        argv_add(a, srcs->v[i]);
    if (tcc) {
        argv_add(a, MUSL_LIB "/libc.a");
        argv_add(a, TCC_LIB "/libtcc1.a");
        argv_add(a, MUSL_LIB "/crtn.o");
    }
    argv_add(a, "-o");
    argv_add(a, out);
}

static char *stem(const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

    return strndup(base, strlen(base) - 2);     /* drop ".c" */
}

#define PKG_RECIPE_LIB "recipe.sh"

static void push_output(struct pkg_outputs *out, const struct mf_package *p, char *path,
                        char *file)
{
    out->v = xrealloc(out->v, (out->len + 1) * sizeof *out->v);
    out->v[out->len++] = (struct pkg_output){.path = path, .file = file, .pkg = p};
}

/* One program: from srcs (all of them, or one when the package has each). */
static void add_program(struct job_list *jobs, const struct mf_package *p, const char *srcroot,
                        const struct argv *srcs, const char *name, const struct sha256 *base,
                        const char *objdir, struct pkg_outputs *out)
{
    char *owner = xasprintf("package %s", p->name);
    char *file = xasprintf("%s/%s.%s", objdir, p->name, name);
    char *what = xasprintf("%-7s %s", p->cc, p->each ? name : p->name);
    struct job *j = jobs_add(jobs, owner, what, file);
    struct sha256 key = *base;

    compile_command(p, srcroot, srcs, file, &j->argv);
    for (size_t i = 0; i < j->argv.len; i++)
        if (strcmp(j->argv.v[i], file))
            cache_key_str(&key, j->argv.v[i]);
    sha256_hex(&key, j->key);
    push_output(out, p, p->each ? xasprintf("%s/%s", p->install, name) : xstrdup(p->install),
                file);
    free(owner);
    free(what);
}

/* A recipe builds upstream code: `sh build.sh OUT` in a scratch folder, with a
 * persistent folder for downloaded sources (see pkgs/README.md). */
static void recipe_command(const struct mf_package *p, const char *objdir, int parallel,
                           const char *out, struct argv *a)
{
    /* the recipe runs in its own folder: every path it gets must be absolute */
    char *abs_obj = realpath(objdir, NULL);
    char *abs_src = realpath(p->source, NULL);
    char *work = xasprintf("%s/%s.work", abs_obj, p->name);
    char *abs_cache = cache_dir && util_mkdirs(cache_dir, 0755) == 0 ? realpath(cache_dir, NULL)
                                                                      : NULL;

    argv_add(a, "env");
    argv_addf(a, "MKIMAGE_JOBS=%d", parallel);
    argv_addf(a, "MKIMAGE_DOWNLOADS=%s/downloads", abs_cache ? abs_cache : abs_obj);
    argv_add(a, "sh");
    argv_add(a, "-c");
    argv_add(a, "mkdir -p \"$1\" && cd \"$1\" && exec sh \"$2\" \"$3\"");
    argv_add(a, "recipe");
    argv_add(a, work);
    argv_addf(a, "%s/%s", abs_src, p->build);
    argv_addf(a, "%s/%s", abs_obj, strrchr(out, '/') + 1);
    free(work);
    free(abs_obj);
    free(abs_src);
    free(abs_cache);
}

static void add_recipe(struct job_list *jobs, const struct mf_package *p, const char *srcroot,
                       const struct sha256 *base, const char *objdir, int parallel,
                       struct pkg_outputs *out)
{
    char *owner = xasprintf("package %s", p->name);
    char *file = xasprintf("%s/%s.bin", objdir, p->name);
    char *what = xasprintf("RECIPE  %s", p->name);
    struct job *j = jobs_add(jobs, owner, what, file);
    struct sha256 key = *base;

    recipe_command(p, objdir, parallel, file, &j->argv);
    cache_key_str(&key, "recipe");
    /* what every recipe sources (pkgs/recipe.sh, a service's recipe too) is part of it */
    char *shared = xasprintf("%s/pkgs/" PKG_RECIPE_LIB, srcroot);
    if (util_is_file(shared))
        cache_key_file(&key, shared);
    free(shared);
    cache_key_tool(&key, "musl-gcc");     /* what recipes compile with */
    sha256_hex(&key, j->key);
    push_output(out, p, xstrdup(p->install), file);
    free(owner);
    free(what);
}

static int add_package(struct job_list *jobs, const struct mf_package *p, const char *srcroot,
                       const char *objdir, int parallel, struct pkg_outputs *out)
{
    struct argv srcs = {0};
    struct sha256 key;

    sha256_init(&key);
    cache_key_tool(&key, !strcmp(p->cc, "tcc") ? "tcc" : "musl-gcc");
    cache_key_tool(&key, "gcc");    /* musl-gcc is a wrapper around it */
    cache_key_stat(&key, MUSL_LIB "/libc.a");
    scan_sources(p, &srcs, &key);
    if (p->build) {
        add_recipe(jobs, p, srcroot, &key, objdir, parallel, out);
        argv_free(&srcs);
        return 0;
    }
    if (srcs.len == 0) {
        util_err("package %s: no .c files in %s", p->name, p->source);
        argv_free(&srcs);
        return -1;
    }
    for (size_t i = 0; i < srcs.len && p->each; i++) {
        struct argv one = {0};
        char *name = stem(srcs.v[i]);
        argv_add(&one, srcs.v[i]);
        add_program(jobs, p, srcroot, &one, name, &key, objdir, out);
        argv_free(&one);
        free(name);
    }
    if (!p->each)
        add_program(jobs, p, srcroot, &srcs, "bin", &key, objdir, out);
    argv_free(&srcs);
    return 0;
}

static int need_compilers(const struct manifest *m)
{
    static const char *const tcc[] = {"tcc", NULL};
    static const char *const gcc[] = {"musl-gcc", NULL};
    bool want_tcc = false, want_gcc = false;

    for (size_t i = 0; i < m->packages_len; i++)
        *(strcmp(m->packages[i].cc, "tcc") ? &want_gcc : &want_tcc) = true;
    if ((want_tcc && tools_need(tcc) < 0) || (want_gcc && tools_need(gcc) < 0))
        return -1;
    return tools_need_file(MUSL_LIB "/libc.a");
}

int pkgbuild_all(const struct manifest *m, const char *srcroot, const char *objdir,
                 struct pkg_outputs *out)
{
    struct job_list jobs = {0};
    int parallel = m->jobs ? m->jobs : jobs_default_parallel();
    int ret = 0;

    if (m->packages_len == 0)
        return 0;
    if (need_compilers(m) < 0 || util_mkdirs(objdir, 0755) < 0)
        return -1;
    for (size_t i = 0; i < m->packages_len && ret == 0; i++)
        ret = add_package(&jobs, &m->packages[i], srcroot, objdir, parallel, out);
    if (ret == 0)
        ret = jobs_run(&jobs, parallel);
    util_info("  PKGS    %zu compiled, %zu from the cache", jobs.compiled, jobs.cached);
    jobs_free(&jobs);
    return ret;
}

void pkgbuild_free(struct pkg_outputs *out)
{
    for (size_t i = 0; i < out->len; i++) {
        free(out->v[i].path);
        free(out->v[i].file);
    }
    free(out->v);
    out->v = NULL;
    out->len = 0;
}
