/* image/kbuild.c: compiles the kernel with gcc, one job per source file run in
 * parallel, with [kernel] features turned into -D defines. */
#define _GNU_SOURCE
#include "kbuild.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../include/anvil/version.h"
#include "cache.h"
#include "fonts.h"
#include "jobs.h"
#include "tools.h"
#include "util.h"

static const char *const kernel_cflags[] = {
    "-std=gnu11", "-ffreestanding", "-fno-stack-protector", "-fno-pic", "-fno-pie",
    "-mno-red-zone", "-mcmodel=kernel", "-mgeneral-regs-only",
    "-fno-asynchronous-unwind-tables", "-fno-omit-frame-pointer", "-O2", "-g",
    "-Wall", "-Wextra", "-Werror", NULL,
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_source(const char *name)
{
    size_t n = strlen(name);

    return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'S');
}

/* Every .c and .S below dir, as paths relative to the source root. */
static int find_sources(const char *root, const char *dir, struct argv *out)
{
    char *full = util_path_join(root, dir);
    DIR *d = opendir(full);
    struct dirent *e;

    if (!d) {
        util_err("%s: %s", full, strerror(errno));
        free(full);
        return -1;
    }
    while ((e = readdir(d))) {
        char *rel = xasprintf("%s/%s", dir, e->d_name);
        char *abs = util_path_join(root, rel);
        if (e->d_name[0] != '.' && util_is_dir(abs))
            find_sources(root, rel, out);
        else if (is_source(e->d_name) && util_is_file(abs))
            argv_add(out, rel);
        free(rel);
        free(abs);
    }
    closedir(d);
    free(full);
    return 0;
}

static void feature_defines(const struct manifest *m, struct argv *args)
{
    struct strbuf list = {0};

    for (const struct mf_feature_info *f = mf_features; f->name; f++) {
        if (!manifest_has_feature(m, f->name))
            continue;
        char *def = xasprintf("-DANVIL_FEATURE_%s=1", f->name);
        for (char *c = def + 16; *c; c++)
            *c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
        argv_add(args, def);
        free(def);
        sb_printf(&list, "%s%s", list.len ? " " : "", f->name);
    }
    argv_addf(args, "-DANVIL_FEATURES=\"%s\"", list.buf ? list.buf : "");
    argv_addf(args, "-DANVIL_VERSION=\"%s\"", ANVIL_RELEASE);
    argv_addf(args, "-DANVIL_TIMER_HZ=%d", m->timer_hz);
    sb_free(&list);
}

/* The object path for a source: kernel/boot/entry.S -> OBJDIR/kernel_boot_entry.S.o */
static char *object_path(const char *objdir, const char *src)
{
    char *flat = xstrdup(src);

    for (char *c = flat; *c; c++)
        if (*c == '/')
            *c = '_';
    char *obj = xasprintf("%s/%s.o", objdir, flat);
    free(flat);
    return obj;
}

/* Headers, and the assembler include files the .S sources share. */
static bool is_header(const char *name)
{
    size_t n = strlen(name);

    return (n > 2 && !strcmp(name + n - 2, ".h")) || (n > 4 && !strcmp(name + n - 4, ".inc"));
}

/* Every header a kernel source could include: a change to any of them
 * recompiles the kernel (simple, and never wrong). */
static void key_headers(struct sha256 *key, const char *root, const char *dir)
{
    char *full = util_path_join(root, dir);
    struct dirent **names;
    int n = scandir(full, &names, NULL, alphasort);

    for (int i = 0; i < n; i++) {
        char *rel = xasprintf("%s/%s", dir, names[i]->d_name);
        char *abs = util_path_join(root, rel);
        if (names[i]->d_name[0] != '.' && util_is_dir(abs))
            key_headers(key, root, rel);
        else if (is_header(names[i]->d_name)) {
            cache_key_str(key, rel);
            cache_key_file(key, abs);
        }
        free(rel);
        free(abs);
        free(names[i]);
    }
    free(n >= 0 ? names : NULL);
    free(full);
}

/* fontdir (for kernel/console/fonts.S's .incbin) is a build folder, so like
 * srcroot it stays out of the key; the fonts' bytes are in common. */
static void add_compile(struct job_list *jobs, const struct sha256 *common, const char *srcroot,
                        const char *fontdir, const struct argv *flags, const char *src,
                        const char *obj)
{
    struct job *j = jobs_add(jobs, "kernel", src, obj);
    struct sha256 key = *common;
    char *abs = util_path_join(srcroot, src);

    free(j->what);
    j->what = xasprintf("CC      %s", src);
    argv_add(&j->argv, "gcc");
    for (size_t i = 0; i < flags->len; i++)
        argv_add(&j->argv, flags->v[i]);
    argv_addf(&j->argv, "-ffile-prefix-map=%s=.", srcroot);  /* no host paths in the ELF */
    argv_addf(&j->argv, "-I%s/kernel", srcroot);
    argv_addf(&j->argv, "-I%s/include", srcroot);
    argv_addf(&j->argv, "-Wa,-I%s", fontdir);
    argv_add(&j->argv, "-c");
    argv_add(&j->argv, abs);
    argv_add(&j->argv, "-o");
    argv_add(&j->argv, obj);
    cache_key_str(&key, src);
    if (cache_key_file(&key, abs))
        sha256_hex(&key, j->key);
    free(abs);
}

static void add_link(struct job_list *jobs, const char *srcroot, const struct job_list *objs,
                     const char *elf_out)
{
    struct job *j = jobs_add(jobs, "kernel", "LD      anvil.elf", elf_out);
    char *script = xasprintf("%s/kernel/kernel.ld", srcroot);
    struct sha256 key;

    sha256_init(&key);
    cache_key_tool(&key, "ld");
    cache_key_file(&key, script);
    argv_add(&j->argv, "ld");
    argv_add(&j->argv, "-nostdlib");
    argv_add(&j->argv, "-static");
    argv_add(&j->argv, "-z");
    argv_add(&j->argv, "max-page-size=0x1000");
    argv_add(&j->argv, "--build-id=none");
    argv_addf(&j->argv, "-T%s", script);
    argv_add(&j->argv, "-o");
    argv_add(&j->argv, elf_out);
    for (size_t i = 0; i < objs->len; i++) {
        argv_add(&j->argv, objs->v[i].output);
        cache_key_str(&key, objs->v[i].key);
    }
    sha256_hex(&key, j->key);
    free(script);
}

int kbuild_kernel(const struct manifest *m, const char *srcroot, const char *objdir,
                  const char *elf_out)
{
    static const char *const needed[] = {"gcc", "ld", NULL};
    struct argv srcs = {0}, flags = {0};
    struct job_list compiles = {0}, link = {0};
    struct sha256 common;
    char *fontdir = util_path_join(objdir, "fonts");
    int parallel = m->jobs ? m->jobs : jobs_default_parallel();
    int ret = -1;

    if (tools_need(needed) < 0 || util_mkdirs(objdir, 0755) < 0) {
        free(fontdir);
        return -1;
    }
    if (find_sources(srcroot, "kernel", &srcs) < 0)
        goto out;
    qsort(srcs.v, srcs.len, sizeof(char *), by_name);
    for (size_t i = 0; kernel_cflags[i]; i++)
        argv_add(&flags, kernel_cflags[i]);
    feature_defines(m, &flags);
    sha256_init(&common);
    cache_key_tool(&common, "gcc");
    for (size_t i = 0; i < flags.len; i++)
        cache_key_str(&common, flags.v[i]);
    key_headers(&common, srcroot, "kernel");
    key_headers(&common, srcroot, "include");
    if (manifest_has_feature(m, "fbcon") && fonts_stage(m, fontdir, &common) < 0)
        goto out;
    for (size_t i = 0; i < srcs.len; i++) {
        char *obj = object_path(objdir, srcs.v[i]);
        add_compile(&compiles, &common, srcroot, fontdir, &flags, srcs.v[i], obj);
        free(obj);
    }
    if (jobs_run(&compiles, parallel) < 0)
        goto out;
    add_link(&link, srcroot, &compiles, elf_out);
    ret = jobs_run(&link, 1);
    util_info("  KERNEL  %zu compiled, %zu from the cache", compiles.compiled + link.compiled,
              compiles.cached + link.cached);
out:
    free(fontdir);
    argv_free(&srcs);
    argv_free(&flags);
    jobs_free(&compiles);
    jobs_free(&link);
    return ret;
}
