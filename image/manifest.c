/* image/manifest.c: config.toml -> struct manifest. Each section is one
 * function that checks its keys, types and ranges and names FILE:LINE:COL. */
#define _GNU_SOURCE
#include "manifest.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "manifest_check.h"
#include "overlay.h"
#include "drivers.h"
#include "network.h"
#include "services.h"
#include "util.h"

const struct mf_feature_info mf_features[] = {
    {"serial", "console on the COM1 serial port"},
    {"fbcon", "console on the boot framebuffer (GOP/VBE)"},
    {"syscall-trace", "log every system call, strace-style (slow)"},
    {"kmem-guard", "kernel heap blocks on their own pages, unmapped when freed: use after free faults (tests)"},
    {"monitor", "debug monitor on the serial port when init.on_exit = \"stay\""},
    {NULL, NULL},
};

const char *const mf_on_exit_names[] = {"stay", "poweroff", "respawn", NULL};

void mf_error(struct mf_ctx *c, struct toml_pos pos, const char *fmt, ...)
{
    va_list ap;

    if (pos.line > 0)
        fprintf(stderr, "%s:%d:%d: ", c->file, pos.line, pos.col);
    else if (pos.col > 0)
        fprintf(stderr, "--set %s: ", c->sets[pos.col - 1]);
    else
        fprintf(stderr, "%s: ", c->file);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    c->errors++;
}

/* Every key of a table must be one the section knows. */
void mf_check_keys(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                   const char *const known[])
{
    for (size_t i = 0; i < t->u.tab.len; i++) {
        const struct toml_kv *kv = &t->u.tab.items[i];
        size_t k = 0;

        while (known[k] && strcmp(known[k], kv->key))
            k++;
        if (known[k])
            continue;
        struct strbuf sb = {0};
        for (k = 0; known[k]; k++)
            sb_printf(&sb, "%s%s", k ? ", " : "", known[k]);
        mf_error(c, kv->pos, "unknown key '%s%s%s' (known: %s)", sect, *sect ? "." : "",
                 kv->key, sb.buf);
        sb_free(&sb);
    }
}

bool mf_is_table(struct mf_ctx *c, const struct toml_value *v, const char *name)
{
    if (v->type == TOML_TABLE)
        return true;
    mf_error(c, v->pos, "%s must be a table, not %s", name, toml_type_name(v->type));
    return false;
}

void mf_get_string(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                   const char *key, char **dst)
{
    const struct toml_value *v = toml_get(t, key);

    if (!v)
        return;
    if (v->type != TOML_STRING) {
        mf_error(c, v->pos, "%s.%s must be a string", sect, key);
        return;
    }
    free(*dst);
    *dst = xstrdup(v->u.str);
}

void mf_get_int(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                const char *key, int lo, int hi, int *dst)
{
    const struct toml_value *v = toml_get(t, key);

    if (!v)
        return;
    if (v->type != TOML_INTEGER || v->u.integer < lo || v->u.integer > hi) {
        mf_error(c, v->pos, "%s.%s must be an integer between %d and %d", sect, key, lo, hi);
        return;
    }
    *dst = (int)v->u.integer;
}

/* A string that must be one of names[]; stores its index. */
void mf_get_enum(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                 const char *key, const char *const names[], int *dst)
{
    const struct toml_value *v = toml_get(t, key);
    struct strbuf sb = {0};

    if (!v)
        return;
    for (int i = 0; names[i]; i++) {
        if (v->type == TOML_STRING && !strcmp(v->u.str, names[i])) {
            *dst = i;
            sb_free(&sb);
            return;
        }
        sb_printf(&sb, "%s\"%s\"", i ? ", " : "", names[i]);
    }
    mf_error(c, v->pos, "%s.%s must be one of %s", sect, key, sb.buf);
    sb_free(&sb);
}

/* An array of strings; returns the array value for per-item checks, or NULL. */
const struct toml_value *mf_get_string_list(struct mf_ctx *c, const struct toml_value *t,
                                            const char *sect, const char *key)
{
    const struct toml_value *v = toml_get(t, key);

    if (!v)
        return NULL;
    if (v->type != TOML_ARRAY) {
        mf_error(c, v->pos, "%s.%s must be an array of strings", sect, key);
        return NULL;
    }
    for (size_t i = 0; i < v->u.arr.len; i++) {
        if (v->u.arr.items[i]->type != TOML_STRING) {
            mf_error(c, v->u.arr.items[i]->pos, "%s.%s must be an array of strings", sect, key);
            return NULL;
        }
    }
    return v;
}

bool mf_is_name(const char *s)
{
    return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
                     == strlen(s);
}

/* image.root_size: "64M" or "1G", between the smallest FAT32 volume with
 * 512-byte clusters mkfs.fat makes and what fatd loads into RAM. */
static void get_root_size(struct mf_ctx *c, const struct toml_value *t, struct manifest *m)
{
    const struct toml_value *v = toml_get(t, "root_size");
    unsigned long long n = 0;
    char *end = NULL;

    if (!v)
        return;
    if (v->type == TOML_STRING)
        n = strtoull(v->u.str, &end, 10);
    if (end && end != v->u.str && (!strcmp(end, "G") || !strcmp(end, "GiB")))
        n *= 1024;
    else if (!end || end == v->u.str || (strcmp(end, "M") && strcmp(end, "MiB")))
        n = 0;
    if (n < MF_ROOT_SIZE_MIN || n > MF_ROOT_SIZE_MAX) {
        mf_error(c, v->pos, "image.root_size must be a size such as \"64M\" or \"1G\", "
                 "from %uM to %uM", MF_ROOT_SIZE_MIN, MF_ROOT_SIZE_MAX);
        return;
    }
    m->root_size_mib = (unsigned)n;
}

static void section_image(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    static const char *const known[] = {"name", "formats", "root", "root_size", NULL};
    static const char *const roots[] = {"initfs", "ramfs", "live", "disk", NULL};
    const struct toml_value *f;
    int root = (int)m->root;

    mf_check_keys(c, t, "image", known);
    mf_get_enum(c, t, "image", "root", roots, &root);
    m->root = (enum mf_root)root;
    if (toml_get(t, "root"))
        m->root_pos = toml_get(t, "root")->pos;
    get_root_size(c, t, m);
    mf_get_string(c, t, "image", "name", &m->image_name);
    if (toml_get(t, "name") && !mf_is_name(m->image_name))
        mf_error(c, toml_get(t, "name")->pos,
                 "image.name must be letters, digits, '.', '_' or '-'");
    f = mf_get_string_list(c, t, "image", "formats");
    if (!f)
        return;
    m->formats = 0;
    for (size_t i = 0; i < f->u.arr.len; i++) {
        const struct toml_value *v = f->u.arr.items[i];
        if (!strcmp(v->u.str, "iso"))
            m->formats |= MF_FORMAT_ISO;
        else if (!strcmp(v->u.str, "disk"))
            m->formats |= MF_FORMAT_DISK;
        else
            mf_error(c, v->pos, "image.formats: unknown format \"%s\" (known: \"iso\", "
                     "\"disk\")", v->u.str);
    }
    if (f->u.arr.len == 0)
        mf_error(c, f->pos, "image.formats must name at least one format");
}

static const struct mf_feature_info *find_feature(const char *name)
{
    for (const struct mf_feature_info *f = mf_features; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

static void add_feature(struct mf_ctx *c, struct manifest *m, const struct toml_value *v)
{
    if (!find_feature(v->u.str)) {
        struct strbuf sb = {0};
        for (const struct mf_feature_info *f = mf_features; f->name; f++)
            sb_printf(&sb, "%s%s", f == mf_features ? "" : ", ", f->name);
        mf_error(c, v->pos, "kernel.features: unknown feature \"%s\" (known: %s)",
                 v->u.str, sb.buf);
        sb_free(&sb);
        return;
    }
    if (manifest_has_feature(m, v->u.str)) {
        mf_error(c, v->pos, "kernel.features: \"%s\" is listed twice", v->u.str);
        return;
    }
    m->features = xrealloc(m->features, (m->features_len + 1) * sizeof(char *));
    m->features[m->features_len++] = xstrdup(v->u.str);
}

static void section_kernel(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    static const char *const known[] = {"features", "timer_hz", "cmdline", NULL};
    const struct toml_value *f;

    mf_check_keys(c, t, "kernel", known);
    mf_get_int(c, t, "kernel", "timer_hz", 18, 10000, &m->timer_hz);
    mf_get_string(c, t, "kernel", "cmdline", &m->cmdline);
    f = mf_get_string_list(c, t, "kernel", "features");
    for (size_t i = 0; f && i < f->u.arr.len; i++)
        add_feature(c, m, f->u.arr.items[i]);
}

static const char *const compilers[] = {"tcc", "gcc", NULL};

static void get_compiler(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                         char **dst)
{
    int which = -1;

    mf_get_enum(c, t, sect, "cc", compilers, &which);
    if (which >= 0) {
        free(*dst);
        *dst = xstrdup(compilers[which]);
    }
}

static void section_build(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    static const char *const known[] = {"jobs", "cc", NULL};

    mf_check_keys(c, t, "build", known);
    mf_get_int(c, t, "build", "jobs", 0, 256, &m->jobs);
    get_compiler(c, t, "build", &m->cc);
}

static void section_init(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    static const char *const known[] = {"on_exit", "run", "grants", NULL};
    int v = (int)m->on_exit;

    mf_check_keys(c, t, "init", known);
    services_init_grants(c, m, t);
    mf_get_enum(c, t, "init", "on_exit", mf_on_exit_names, &v);
    m->on_exit = (enum mf_on_exit)v;
    mf_get_string(c, t, "init", "run", &m->run);
    if (m->run && !m->run[0]) {     /* a variant's "" takes the base's program away */
        free(m->run);
        m->run = NULL;
    }
    if (m->run && m->run[0] != '/')
        mf_error(c, toml_get(t, "run")->pos, "init.run must start with an absolute program "
                 "path, as in \"/bin/prog arg\"");
}

/* The keyboard layouts ps2d has (services/ps2d/keymaps.c). */
static const char *const keymaps[] = {"us", "de", "fr", "uk", NULL};

/* A font is a file name in the fonts folder: letters, digits, '-', '_', '.'. */
static bool font_name_ok(const char *s)
{
    if (!s[0] || s[0] == '.')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
            return false;
    return true;
}

/* [console] ttys: the console ("console", or "serial" or "vt1": the same
 * terminal) must be one of them, since init.run starts there; "vt2".."vt4"
 * are fbcond's terminals, each once. */
static void console_ttys(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    const struct toml_value *v = mf_get_string_list(c, t, "console", "ttys");
    bool console = false;

    if (!v)
        return;
    m->ttys_pos = v->pos;
    argv_free(&m->terminals);
    for (size_t i = 0; i < v->u.arr.len; i++) {
        const char *name = v->u.arr.items[i]->u.str;
        struct toml_pos pos = v->u.arr.items[i]->pos;
        bool is_console = !strcmp(name, "console") || !strcmp(name, "serial") ||
                          !strcmp(name, "vt1");
        if (is_console && console)
            mf_error(c, pos, "console.ttys: \"%s\" is the console again (\"console\", "
                     "\"serial\" and \"vt1\" are one terminal)", name);
        else if (is_console)
            console = true;
        else if (strlen(name) != 3 || strncmp(name, "vt", 2) || name[2] < '2' || name[2] > '4')
            mf_error(c, pos, "console.ttys: \"%s\" is not a terminal: \"console\" (or "
                     "\"serial\", \"vt1\") and \"vt2\" to \"vt4\"", name);
        else if (argv_has(&m->terminals, name))
            mf_error(c, pos, "console.ttys: \"%s\" is named twice", name);
        else
            argv_add(&m->terminals, name);
    }
    if (!console)
        mf_error(c, v->pos, "console.ttys must name the console (\"console\", \"serial\" or "
                 "\"vt1\"): init.run starts there first");
}

static void section_console(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    static const char *const known[] = {"keymap", "font", "ttys", NULL};
    int km = -1;

    mf_check_keys(c, t, "console", known);
    mf_get_enum(c, t, "console", "keymap", keymaps, &km);
    if (km >= 0) {
        free(m->keymap);
        m->keymap = xstrdup(keymaps[km]);
    }
    console_ttys(c, m, t);
    mf_get_string(c, t, "console", "font", &m->font);
    if (toml_get(t, "font") && m->font && !font_name_ok(m->font))
        mf_error(c, toml_get(t, "font")->pos, "console.font must be a console font's name, as "
                 "in \"Uni2-Terminus16\" (a file /usr/share/consolefonts/NAME.psf.gz)");
}

static int by_package_name(const void *a, const void *b)
{
    return strcmp(((const struct mf_package *)a)->name, ((const struct mf_package *)b)->name);
}

static void package_entry(struct mf_ctx *c, struct manifest *m, const char *name,
                          const struct toml_value *t)
{
    static const char *const known[] = {"source", "install", "each", "cc", "cflags",
                                        "enabled", "build", "links_from", NULL};
    struct mf_package p = {.name = xstrdup(name), .pos = t->pos};
    char *sect = xasprintf("packages.%s", name);
    const struct toml_value *v, *flags;
    char *source = xasprintf("pkgs/%s", name);

    mf_check_keys(c, t, sect, known);
    if ((v = toml_get(t, "enabled")) && (v->type != TOML_BOOLEAN || !v->u.boolean)) {
        if (v->type != TOML_BOOLEAN)
            mf_error(c, v->pos, "%s.enabled must be true or false", sect);
        goto skip;
    }
    if ((v = toml_get(t, "each")) && v->type != TOML_BOOLEAN)
        mf_error(c, v->pos, "%s.each must be true or false", sect);
    p.each = v && v->type == TOML_BOOLEAN && v->u.boolean;
    mf_get_string(c, t, sect, "source", &source);
    p.source = util_path_join(m->config_dir, source);
    if (!util_is_dir(p.source))
        mf_error(c, toml_get(t, "source") ? toml_get(t, "source")->pos : t->pos,
                 "%s.source: %s is not a folder", sect, p.source);
    p.install = xasprintf("/bin/%s", name);
    mf_get_string(c, t, sect, "install", &p.install);
    if (!mf_is_image_path(p.install))
        mf_error(c, toml_get(t, "install")->pos, "%s.install must be an absolute path", sect);
    p.cc = xstrdup(m->cc);
    get_compiler(c, t, sect, &p.cc);
    mf_get_string(c, t, sect, "build", &p.build);
    if (p.build && (strchr(p.build, '/') || !mf_is_name(p.build)))
        mf_error(c, toml_get(t, "build")->pos, "%s.build names a script in the package's "
                 "folder, as in \"build.sh\"", sect);
    if (p.build && p.each)
        mf_error(c, toml_get(t, "build")->pos, "%s: a build script makes one program; "
                 "it cannot be combined with each", sect);
    mf_get_string(c, t, sect, "links_from", &p.links_from);
    if (p.links_from && (p.each || p.links_from[0] != '-'))
        mf_error(c, toml_get(t, "links_from")->pos, "%s.links_from is an option of the "
                 "program (as in \"--list-full\") and needs a single program", sect);
    flags = mf_get_string_list(c, t, sect, "cflags");
    for (size_t i = 0; flags && i < flags->u.arr.len; i++) {
        p.cflags = xrealloc(p.cflags, (p.cflags_len + 1) * sizeof(char *));
        p.cflags[p.cflags_len++] = xstrdup(flags->u.arr.items[i]->u.str);
    }
    m->packages = xrealloc(m->packages, (m->packages_len + 1) * sizeof p);
    m->packages[m->packages_len++] = p;
    p = (struct mf_package){0};
skip:
    free(p.name);
    free(source);
    free(sect);
}

static void section_packages(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    for (size_t i = 0; i < t->u.tab.len; i++) {
        const struct toml_kv *kv = &t->u.tab.items[i];
        if (!mf_is_name(kv->key))
            mf_error(c, kv->pos, "packages.%s: a package name is letters, digits, '.', "
                     "'_' or '-'", kv->key);
        else if (mf_is_table(c, kv->val, "a package"))
            package_entry(c, m, kv->key, kv->val);
    }
    if (m->packages_len)
        qsort(m->packages, m->packages_len, sizeof *m->packages, by_package_name);
}

/* An image path: absolute, no empty, "." or ".." parts, no trailing slash. */
bool mf_is_image_path(const char *p)
{
    if (p[0] != '/' || p[1] == '\0')
        return false;
    for (const char *s = p + 1; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        s += n;
        if (*s == '/' && *++s == '\0')
            return false;
    }
    return true;
}

/* The kind of a [[files]] entry: exactly one of source, text, dir = true, link. */
static void file_kind(struct mf_ctx *c, const struct toml_value *t, struct mf_file *f)
{
    const struct toml_value *dir = toml_get(t, "dir");
    int kinds;

    if (dir && (dir->type != TOML_BOOLEAN || !dir->u.boolean))
        mf_error(c, dir->pos, "files.dir can only be true (a folder)");
    mf_get_string(c, t, "files", "link", &f->link);
    kinds = !!f->source + !!f->text + !!dir + !!f->link;
    if (kinds != 1)
        mf_error(c, t->pos, "files: an entry needs exactly one of source, text, dir or link");
    f->kind = dir ? MF_FILE_DIR : f->link ? MF_FILE_LINK : MF_FILE_REGULAR;
    if (f->link && !*f->link)
        mf_error(c, toml_get(t, "link")->pos, "files.link: a symlink needs a target");
}

/* source: a host file, or a host folder copied whole (its files keep their x bits). */
static void file_source(struct mf_ctx *c, struct manifest *m, const struct toml_value *t,
                        struct mf_file *f)
{
    char *host = util_path_join(m->config_dir, f->source);

    if (util_is_dir(host))
        f->kind = MF_FILE_DIR;
    else if (!util_is_file(host))
        mf_error(c, toml_get(t, "source")->pos, "files.source: %s: %s", host, strerror(ENOENT));
    free(f->source);
    f->source = host;
}

static void file_entry(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    static const char *const known[] = {"path", "source", "text", "mode", "dir", "link", NULL};
    struct mf_file f = {.pos = t->pos};
    int mode;

    mf_check_keys(c, t, "files", known);
    mf_get_string(c, t, "files", "path", &f.path);
    mf_get_string(c, t, "files", "source", &f.source);
    mf_get_string(c, t, "files", "text", &f.text);
    file_kind(c, t, &f);
    if (f.source)
        file_source(c, m, t, &f);
    mode = f.kind == MF_FILE_DIR ? 0755 : f.kind == MF_FILE_LINK ? 0777 : 0644;
    mf_get_int(c, t, "files", "mode", 0, 07777, &mode);
    f.mode = (unsigned)mode;
    if (!f.path)
        mf_error(c, t->pos, "files: an entry needs a path");
    else if (!mf_is_image_path(f.path))
        mf_error(c, toml_get(t, "path")->pos,
                 "files.path must be an absolute path without '.', '..' or empty parts");
    m->files = xrealloc(m->files, (m->files_len + 1) * sizeof f);
    m->files[m->files_len++] = f;
}

/* Two entries may not share a path, nor may one sit inside the other. */
static void check_file_pair(struct mf_ctx *c, const struct mf_file *a, const struct mf_file *b)
{
    size_t na, nb;

    if (!a->path || !b->path)
        return;
    if (!strcmp(a->path, b->path)) {
        mf_error(c, a->pos, "files: %s is already defined at line %d", a->path, b->pos.line);
        return;
    }
    na = strlen(a->path);
    nb = strlen(b->path);
    if (na > nb && !strncmp(a->path, b->path, nb) && a->path[nb] == '/' &&
        b->kind != MF_FILE_DIR)
        mf_error(c, a->pos, "files: %s is not a folder, so %s cannot be inside it", b->path,
                 a->path);
    else if (nb > na && !strncmp(a->path, b->path, na) && b->path[na] == '/' &&
             a->kind != MF_FILE_DIR)
        mf_error(c, b->pos, "files: %s is not a folder, so %s cannot be inside it", a->path,
                 b->path);
}

/* [tree] dirs = [...] (folders, 0755) and devices = [...] (names in /dev). */
static void add_tree_entry(struct manifest *m, struct toml_pos pos, char *path, bool dir)
{
    struct mf_file f = {.path = path, .pos = pos, .kind = dir ? MF_FILE_DIR : MF_FILE_REGULAR,
                        .text = dir ? NULL : xstrdup(""), .mode = dir ? 0755 : 0666};

    m->files = xrealloc(m->files, (m->files_len + 1) * sizeof f);
    m->files[m->files_len++] = f;
}

static void section_tree(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    static const char *const known[] = {"dirs", "devices", NULL};
    const struct toml_value *dirs, *devs;

    mf_check_keys(c, t, "tree", known);
    dirs = mf_get_string_list(c, t, "tree", "dirs");
    for (size_t i = 0; dirs && i < dirs->u.arr.len; i++) {
        const struct toml_value *d = dirs->u.arr.items[i];
        if (!mf_is_image_path(d->u.str))
            mf_error(c, d->pos, "tree.dirs: \"%s\" is not an absolute path", d->u.str);
        else
            add_tree_entry(m, d->pos, xstrdup(d->u.str), true);
    }
    devs = mf_get_string_list(c, t, "tree", "devices");
    for (size_t i = 0; devs && i < devs->u.arr.len; i++) {
        const struct toml_value *d = devs->u.arr.items[i];
        if (!mf_is_name(d->u.str))
            mf_error(c, d->pos, "tree.devices: \"%s\" is not a name", d->u.str);
        else
            add_tree_entry(m, d->pos, xasprintf("/dev/%s", d->u.str), false);
    }
}

static void section_files(struct mf_ctx *c, struct manifest *m, const struct toml_value *v)
{
    if (v->type != TOML_ARRAY) {
        mf_error(c, v->pos, "files must be an array of tables ([[files]])");
        return;
    }
    for (size_t i = 0; i < v->u.arr.len; i++)
        if (mf_is_table(c, v->u.arr.items[i], "each files entry"))
            file_entry(c, m, v->u.arr.items[i]);
}

/* After [[files]] and [tree]: no path twice, nothing inside a file. */
static void check_files(struct mf_ctx *c, struct manifest *m)
{
    for (size_t i = 0; i < m->files_len; i++)
        for (size_t j = 0; j < i; j++)
            check_file_pair(c, &m->files[i], &m->files[j]);
}

/* Adding a section to the manifest is one function and one line here. */
static const struct {
    const char *name;
    bool table;     /* a [table], or else handled raw ([[array]]) */
    void (*parse)(struct mf_ctx *, struct manifest *, const struct toml_value *);
} sections[] = {
    {"image", true, section_image},
    {"kernel", true, section_kernel},
    {"build", true, section_build},
    {"init", true, section_init},
    {"console", true, section_console},
    {"network", true, network_section},
    {"files", false, section_files},
    {"tree", true, section_tree},
    {"packages", true, section_packages},
    {"services", true, services_section},
    {"drivers", true, drivers_section},
    {"variants", true, NULL},   /* taken apart before validation */
};

static void validate(struct mf_ctx *c, struct manifest *m, const struct toml_value *root)
{
    size_t n = sizeof sections / sizeof sections[0];

    for (size_t i = 0; i < root->u.tab.len; i++) {
        const struct toml_kv *kv = &root->u.tab.items[i];
        size_t s = 0;

        while (s < n && strcmp(sections[s].name, kv->key))
            s++;
        if (s == n)
            mf_error(c, kv->pos, "unknown section '%s' (known: image, kernel, build, init, "
                     "console, network, files, tree, packages, services, drivers, variants)", kv->key);
        else if (sections[s].table && !mf_is_table(c, kv->val, kv->key))
            continue;
        else if (sections[s].parse)
            sections[s].parse(c, m, kv->val);
    }
    check_files(c, m);
}

static void defaults(struct manifest *m)
{
    m->image_name = xstrdup("anvil");
    m->formats = MF_FORMAT_ISO;
    m->root_size_mib = MF_ROOT_SIZE_DEFAULT;
    m->timer_hz = 100;
    m->on_exit = MF_ON_EXIT_STAY;
    m->cc = xstrdup("tcc");
    m->keymap = xstrdup("us");
    m->net_address = xstrdup(NETWORK_DHCP);
    m->net_gateway = xstrdup(NETWORK_NONE);
    m->net_dns = xstrdup(NETWORK_NONE);
}

/* Record the variants and pick the one to apply (NULL when none is chosen). */
static const struct toml_value *take_variants(struct mf_ctx *c, struct manifest *m,
                                              const struct toml_value *vs, const char *want)
{
    const struct toml_value *chosen = NULL;

    if (vs && !mf_is_table(c, vs, "variants"))
        return NULL;
    for (size_t i = 0; vs && i < vs->u.tab.len; i++) {
        const struct toml_kv *kv = &vs->u.tab.items[i];
        struct mf_variant v = {.name = xstrdup(kv->key)};

        if (!mf_is_table(c, kv->val, "a variant"))
            continue;
        mf_get_string(c, kv->val, kv->key, "description", &v.description);
        m->variants = xrealloc(m->variants, (m->variants_len + 1) * sizeof v);
        m->variants[m->variants_len++] = v;
        if (want && !strcmp(want, kv->key))
            chosen = kv->val;
    }
    return chosen;
}

static int apply_variant(struct mf_ctx *c, struct toml_value *root,
                         const struct toml_value *variant)
{
    struct toml_error err;

    /* description describes the variant; it is not a config key */
    if (overlay_merge(root, variant, "description", &err) < 0) {
        mf_error(c, (struct toml_pos){err.line, err.col}, "%s", err.msg);
        return -1;
    }
    return 0;
}

static void print_error(const char *path, const struct toml_error *err)
{
    if (err->line > 0)
        fprintf(stderr, "%s:%d:%d: %s\n", path, err->line, err->col, err->msg);
    else
        fprintf(stderr, "%s: %s\n", path, err->msg);
}

static void known_variants(struct mf_ctx *c, const struct manifest *m, const char *want)
{
    struct strbuf sb = {0};

    for (size_t i = 0; i < m->variants_len; i++)
        sb_printf(&sb, "%s%s", i ? ", " : "", m->variants[i].name);
    mf_error(c, (struct toml_pos){0, 0}, "no variant '%s' (known: %s)", want,
             sb.buf ? sb.buf : "none");
    sb_free(&sb);
}

static void resolve(struct mf_ctx *c, struct manifest *m, struct toml_value *root,
                    const char *variant, size_t sets_len)
{
    const char *want = variant ? variant : "default";
    const struct toml_value *chosen = take_variants(c, m, toml_get(root, "variants"), want);
    struct toml_error err;

    if (variant && !chosen && !c->errors)
        known_variants(c, m, variant);
    m->variant = xstrdup(chosen ? want : "base");
    if (chosen) {
        struct toml_value *copy = toml_clone(chosen);   /* root changes under it */
        apply_variant(c, root, copy);
        toml_free(copy);
    }
    for (size_t i = 0; i < sets_len; i++)
        if (overlay_set(root, c->sets[i], (int)i + 1, &err) < 0)
            mf_error(c, (struct toml_pos){0, (int)i + 1}, "%s", err.msg);
}

struct manifest *manifest_load(const char *path, const char *variant,
                               char *const *sets, size_t sets_len)
{
    struct mf_ctx c = {.file = path, .sets = sets};
    struct toml_error err;
    struct toml_value *root = toml_parse_file(path, &err);
    struct manifest *m;

    if (!root) {
        print_error(path, &err);
        return NULL;
    }
    m = xcalloc(1, sizeof *m);
    defaults(m);
    m->config_path = xstrdup(path);
    m->config_dir = util_dirname(path);
    resolve(&c, m, root, variant, sets_len);
    if (!c.errors)
        validate(&c, m, root);
    if (!c.errors)
        services_check(&c, m);
    if (!c.errors)
        services_finish(m);
    toml_free(root);
    if (c.errors) {
        manifest_free(m);
        return NULL;
    }
    return m;
}

void manifest_free(struct manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->features_len; i++)
        free(m->features[i]);
    for (size_t i = 0; i < m->files_len; i++) {
        free(m->files[i].path);
        free(m->files[i].source);
        free(m->files[i].text);
        free(m->files[i].link);
    }
    for (size_t i = 0; i < m->variants_len; i++) {
        free(m->variants[i].name);
        free(m->variants[i].description);
    }
    for (size_t i = 0; i < m->packages_len; i++) {
        struct mf_package *p = &m->packages[i];
        for (size_t k = 0; k < p->cflags_len; k++)
            free(p->cflags[k]);
        free(p->cflags);
        free(p->name);
        free(p->source);
        free(p->install);
        free(p->cc);
        free(p->build);
        free(p->lib);
        free(p->links_from);
    }
    free(m->packages);
    services_free(m);
    free(m->run);
    free(m->cc);
    free(m->features);
    free(m->files);
    free(m->variants);
    free(m->config_path);
    free(m->config_dir);
    free(m->variant);
    free(m->image_name);
    free(m->cmdline);
    free(m->keymap);
    free(m->net_address);
    free(m->net_gateway);
    free(m->net_dns);
    argv_free(&m->terminals);
    free(m->font);
    free(m);
}

const char *mf_config_name(const struct manifest *m)
{
    const char *slash = strrchr(m->config_path, '/');

    return slash ? slash + 1 : m->config_path;
}

bool manifest_has_feature(const struct manifest *m, const char *name)
{
    for (size_t i = 0; i < m->features_len; i++)
        if (!strcmp(m->features[i], name))
            return true;
    return false;
}

/* A TOML basic string, escaped. */
static void print_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", out);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void print_list(FILE *out, const char *key, char *const *items, size_t len)
{
    fprintf(out, "%s = [", key);
    for (size_t i = 0; i < len; i++) {
        fputs(i ? ", " : "", out);
        print_string(out, items[i]);
    }
    fputs("]\n", out);
}

static void print_package(FILE *out, const struct mf_package *p)
{
    fprintf(out, "\n[packages.%s]\nsource = ", p->name);
    print_string(out, p->source);
    fputs("\ninstall = ", out);
    print_string(out, p->install);
    fprintf(out, "\neach = %s\ncc = \"%s\"\n", p->each ? "true" : "false", p->cc);
    if (p->build)
        fprintf(out, "build = \"%s\"\n", p->build);
    if (p->links_from)
        fprintf(out, "links_from = \"%s\"\n", p->links_from);
    print_list(out, "cflags", p->cflags, p->cflags_len);
}

void manifest_print(const struct manifest *m, FILE *out)
{
    char *formats[2];
    size_t nformats = 0;

    if (m->formats & MF_FORMAT_ISO)
        formats[nformats++] = "iso";
    if (m->formats & MF_FORMAT_DISK)
        formats[nformats++] = "disk";

    fprintf(out, "# resolved manifest of %s, variant %s\n", m->config_path, m->variant);
    fprintf(out, "[image]\nname = ");
    print_string(out, m->image_name);
    fputc('\n', out);
    print_list(out, "formats", formats, nformats);
    fprintf(out, "root = \"%s\"\n", m->root == MF_ROOT_RAMFS ? "ramfs" :
                                     m->root == MF_ROOT_LIVE ? "live" :
                                     m->root == MF_ROOT_DISK ? "disk" : "initfs");
    fprintf(out, "root_size = \"%uM\"\n", m->root_size_mib);
    fprintf(out, "\n[kernel]\n");
    print_list(out, "features", m->features, m->features_len);
    fprintf(out, "timer_hz = %d\ncmdline = ", m->timer_hz);
    print_string(out, m->cmdline ? m->cmdline : "");
    fprintf(out, "\n\n[build]\njobs = %d\ncc = \"%s\"\n", m->jobs, m->cc);
    fprintf(out, "\n[network]\naddress = \"%s\"\ngateway = \"%s\"\ndns = \"%s\"\n",
            m->net_address, m->net_gateway, m->net_dns);
    fprintf(out, "\n[console]\nkeymap = \"%s\"\n", m->keymap);
    if (m->font)
        fprintf(out, "font = \"%s\"\n", m->font);
    fputs("ttys = [\"console\"", out);
    for (size_t i = 0; i < m->terminals.len; i++)
        fprintf(out, ", \"%s\"", m->terminals.v[i]);
    fputs("]\n", out);
    fprintf(out, "\n[init]\non_exit = \"%s\"\n", mf_on_exit_names[m->on_exit]);
    if (m->run) {
        fputs("run = ", out);
        print_string(out, m->run);
        fputc('\n', out);
    }
    if (m->init_grants.len)
        print_list(out, "grants", m->init_grants.v, m->init_grants.len);
    for (size_t i = 0; i < m->packages_len; i++)
        print_package(out, &m->packages[i]);
    /* services appear as what init reads: the table among the [[files]] */
    for (size_t i = 0; i < m->files_len; i++) {
        const struct mf_file *f = &m->files[i];
        fprintf(out, "\n[[files]]\npath = ");
        print_string(out, f->path);
        if (f->kind == MF_FILE_DIR && !f->source) {
            fputs("\ndir = true", out);
        } else {
            fprintf(out, "\n%s = ", f->link ? "link" : f->source ? "source" : "text");
            print_string(out, f->link ? f->link : f->source ? f->source : f->text);
        }
        fprintf(out, "\nmode = 0o%o\n", f->mode);
    }
}
