/* image/kbuild.c: compiles the kernel with gcc, one job per source file run in
 * parallel, with [kernel] features turned into -D defines. */
#define _GNU_SOURCE
#include "kbuild.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../include/anvil/version.h"
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

static pid_t start_compile(const char *srcroot, const struct argv *common, const char *src,
                           const char *obj)
{
    struct argv a = {0};
    pid_t pid;

    argv_add(&a, "gcc");
    for (size_t i = 0; i < common->len; i++)
        argv_add(&a, common->v[i]);
    argv_addf(&a, "-ffile-prefix-map=%s=.", srcroot);  /* no host paths in the ELF */
    argv_addf(&a, "-I%s/kernel", srcroot);
    argv_addf(&a, "-I%s/include", srcroot);
    argv_add(&a, "-c");
    argv_addf(&a, "%s/%s", srcroot, src);
    argv_add(&a, "-o");
    argv_add(&a, obj);
    if (util_verbosity >= 2)
        util_print_command(a.v);
    pid = fork();
    if (pid == 0) {
        execvp(a.v[0], a.v);
        _exit(127);
    }
    argv_free(&a);
    return pid;
}

static int jobs_for(const struct manifest *m)
{
    long n = m->jobs ? m->jobs : sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? (int)n : 1;
}

/* Run every compile, at most jobs at once; report each failing source. */
static int compile_all(const struct manifest *m, const char *srcroot, const struct argv *srcs,
                       const struct argv *objs, const struct argv *common)
{
    pid_t *pids = xcalloc(srcs->len, sizeof *pids);
    size_t next = 0, running = 0;
    int failed = 0;

    while (next < srcs->len || running > 0) {
        if (next < srcs->len && running < (size_t)jobs_for(m) && !failed) {
            pids[next] = start_compile(srcroot, common, srcs->v[next], objs->v[next]);
            running++;
            next++;
            continue;
        }
        if (running == 0)
            break;
        int st;
        pid_t pid = wait(&st);
        if (pid < 0)
            break;
        running--;
        for (size_t i = 0; i < next; i++)
            if (pids[i] == pid && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
                util_err("kernel: compiling %s failed", srcs->v[i]);
                failed = 1;
            }
    }
    free(pids);
    return failed ? -1 : 0;
}

static int link_kernel(const char *srcroot, const struct argv *objs, const char *elf_out)
{
    struct argv a = {0};
    int st;

    argv_add(&a, "ld");
    argv_add(&a, "-nostdlib");
    argv_add(&a, "-static");
    argv_add(&a, "-z");
    argv_add(&a, "max-page-size=0x1000");
    argv_add(&a, "--build-id=none");
    argv_addf(&a, "-T%s/kernel/kernel.ld", srcroot);
    argv_add(&a, "-o");
    argv_add(&a, elf_out);
    for (size_t i = 0; i < objs->len; i++)
        argv_add(&a, objs->v[i]);
    st = util_run(a.v, false);
    argv_free(&a);
    if (st != 0)
        util_err("kernel: linking failed");
    return st == 0 ? 0 : -1;
}

int kbuild_kernel(const struct manifest *m, const char *srcroot, const char *objdir,
                  const char *elf_out)
{
    static const char *const needed[] = {"gcc", "ld", NULL};
    struct argv srcs = {0}, objs = {0}, common = {0};
    int ret = -1;

    if (tools_need(needed) < 0 || util_mkdirs(objdir, 0755) < 0)
        return -1;
    if (find_sources(srcroot, "kernel", &srcs) < 0)
        goto out;
    qsort(srcs.v, srcs.len, sizeof(char *), by_name);
    for (size_t i = 0; i < srcs.len; i++) {
        char *obj = object_path(objdir, srcs.v[i]);
        argv_add(&objs, obj);
        free(obj);
    }
    for (size_t i = 0; kernel_cflags[i]; i++)
        argv_add(&common, kernel_cflags[i]);
    feature_defines(m, &common);
    util_info("  KERNEL  %zu sources, features: %zu", srcs.len, m->features_len);
    if (compile_all(m, srcroot, &srcs, &objs, &common) == 0)
        ret = link_kernel(srcroot, &objs, elf_out);
out:
    argv_free(&srcs);
    argv_free(&objs);
    argv_free(&common);
    return ret;
}
