/* kernel/scheme/route.c: parsing the four path forms (see route.h). */
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "scheme/mount.h"
#include "scheme/route.h"

#define SCHEME_DIR "scheme/"
#define SCHEME_DIR_LEN 7
#define FILE_SCHEME "file"
#define INITFS_SCHEME "initfs"

/* /dev names every program expects, served by kernel schemes. The harmless
 * ones are open to every program; the console and the terminal need their
 * scheme in the namespace, as under their own names. */
static const struct {
    const char *path, *scheme;
    bool open;
} dev_aliases[] = {
    {"dev/null", "null", true},      {"dev/zero", "zero", true},
    {"dev/full", "full", true},      {"dev/urandom", "rand", true},
    {"dev/console", "debug", false}, {"dev/tty", "tty", false},
};

/* Names that lead to a path inside a kernel scheme: exact names, and
 * folders (a path below one goes below rest; no longer plain, so a working
 * directory there reads "proc:/1"). open as in dev_aliases: terminals
 * (pty:) need their scheme in the namespace. */
#define PROC_SCHEME "proc"
#define SHM_SCHEME "shm"
#define PTY_SCHEME "pty"
static const struct {
    const char *path, *scheme, *rest;
    bool dir, open;
} sub_aliases[] = {
    {"dev/random", "rand", "random", false, true},
    {"dev/stdin", PROC_SCHEME, "self/fd/0", false, true},
    {"dev/stdout", PROC_SCHEME, "self/fd/1", false, true},
    {"dev/stderr", PROC_SCHEME, "self/fd/2", false, true},
    {"proc", PROC_SCHEME, "", true, true},
    {"dev/fd", PROC_SCHEME, "self/fd", true, true},
    {"dev/shm", SHM_SCHEME, "", true, true},
    {"dev/ptmx", PTY_SCHEME, "ptmx", false, false},
    {"dev/pts", PTY_SCHEME, "pts", true, false},
};

/* Normalise p (relative to the scheme's root) into rest. */
static int normalise(const char *p, char *rest)
{
    char tmp[PATH_MAX_LEN];
    int err = path_resolve("/", *p ? p : "/", tmp);

    if (err)
        return err;
    strlcpy(rest, tmp + 1, PATH_MAX_LEN);
    return 0;
}

/* Length of a "name:" prefix (the name's length), or -1 when p has none. */
static long prefix_len(const char *p)
{
    size_t i = 0;

    while (p[i] && p[i] != ':' && p[i] != '/')
        i++;
    if (p[i] != ':')
        return -1;
    if (i > 0 && !scheme_name_valid(p, i))
        return -1;
    return (long)i;
}

static int route_named(const char *path, size_t n, struct scheme_path *out)
{
    const char *after = path + n + 1;

    memcpy(out->scheme, path, n);
    out->scheme[n] = '\0';
    out->reg = n == 0;
    return normalise(after, out->rest);
}

static int route_plain(const char *path, struct scheme_path *out)
{
    int err = normalise(path, out->rest);
    const char *r = out->rest, *slash;
    size_t n;

    if (err)
        return err;
    if (strncmp(r, SCHEME_DIR, SCHEME_DIR_LEN) != 0 || !r[SCHEME_DIR_LEN]) {
        out->plain = true;
        return 0;
    }
    r += SCHEME_DIR_LEN;
    slash = r;
    while (*slash && *slash != '/')
        slash++;
    n = (size_t)(slash - r);
    if (!scheme_name_valid(r, n))
        return -ENOENT;
    memcpy(out->scheme, r, n);
    out->scheme[n] = '\0';
    memmove(out->rest, *slash ? slash + 1 : slash, strlen(*slash ? slash + 1 : slash) + 1);
    return 0;
}

int scheme_route(const char *cwd, const char *path, struct scheme_path *out)
{
    char joined[PATH_MAX_LEN * 2];
    long n;

    memset(out, 0, sizeof(*out));
    if (!path[0])
        return -ENOENT;
    if (path[0] == '/')
        return route_plain(path, out);
    if ((n = prefix_len(path)) >= 0)
        return route_named(path, (size_t)n, out);
    if (strlen(cwd) + strlen(path) + 2 > sizeof(joined))
        return -ENAMETOOLONG;
    strlcpy(joined, cwd, sizeof(joined));
    strlcpy(joined + strlen(joined), "/", 2);
    strlcpy(joined + strlen(joined), path, sizeof(joined) - strlen(joined));
    if (joined[0] != '/' && prefix_len(joined) < 0)
        return -EINVAL;   /* a working directory is always canonical */
    return scheme_route("/", joined, out);
}

int scheme_path_format(const struct scheme_path *sp, char *out, size_t size)
{
    bool plain = sp->plain || sp->at[0];
    size_t at = strlen(sp->at);
    size_t need = (plain ? 0 : strlen(sp->scheme) + 1) + 1 + (at ? at + 1 : 0) + strlen(sp->rest) + 1;
    size_t n = 0;

    if (need > size || need > PATH_MAX_LEN)
        return -ENAMETOOLONG;
    if (!plain) {
        n = strlen(sp->scheme);
        memcpy(out, sp->scheme, n);
        out[n++] = ':';
    }
    out[n++] = '/';
    if (at) {
        memcpy(out + n, sp->at, at);
        n += at;
        if (sp->rest[0])
            out[n++] = '/';
    }
    strlcpy(out + n, sp->rest, size - n);
    return 0;
}

/* *open: every program may use it (else the namespace decides). */
static bool alias(struct scheme_path *sp, bool *open)
{
    for (size_t i = 0; i < sizeof(dev_aliases) / sizeof(dev_aliases[0]); i++) {
        if (strcmp(sp->rest, dev_aliases[i].path) == 0) {
            strlcpy(sp->scheme, dev_aliases[i].scheme, sizeof(sp->scheme));
            sp->rest[0] = '\0';
            *open = dev_aliases[i].open;
            return true;
        }
    }
    return false;
}

/* rest = prefix, then "/" and below when both are there. */
static bool join_rest(char *rest, const char *prefix, const char *below)
{
    char tmp[PATH_MAX_LEN];
    size_t p = strlen(prefix), b = strlen(below);

    if (p + 1 + b + 1 > sizeof(tmp))
        return false;
    memcpy(tmp, prefix, p);
    if (p && b)
        tmp[p++] = '/';
    memcpy(tmp + p, below, b + 1);
    strlcpy(rest, tmp, PATH_MAX_LEN);
    return true;
}

static bool sub_alias(struct scheme_path *sp, bool *open)
{
    for (size_t i = 0; i < sizeof(sub_aliases) / sizeof(sub_aliases[0]); i++) {
        size_t n = strlen(sub_aliases[i].path);
        const char *r = sp->rest;
        if (strncmp(r, sub_aliases[i].path, n) != 0)
            continue;
        if (r[n] && (r[n] != '/' || !sub_aliases[i].dir))
            continue;
        if (!join_rest(sp->rest, sub_aliases[i].rest, r[n] ? r + n + 1 : r + n))
            return false;
        strlcpy(sp->scheme, sub_aliases[i].scheme, sizeof(sp->scheme));
        sp->plain = !sub_aliases[i].dir;
        *open = sub_aliases[i].open;
        return true;
    }
    return false;
}

int scheme_resolve(const struct proc *p, struct scheme_path *sp, struct scheme **out)
{
    const struct caps *c = &p->caps;
    bool open = true;

    if (sp->reg)
        return -ENOENT;
    if (sp->at[0] || (sp->plain && mount_route(sp))) {
        if (!caps_allows(c, FILE_SCHEME))   /* a mount is part of the file tree */
            return -EACCES;
        *out = scheme_find(sp->scheme);
        return *out ? 0 : -ENODEV;
    }
    if (sp->plain && (alias(sp, &open) || sub_alias(sp, &open))) {
        if (!open && !caps_allows(c, sp->scheme))
            return -EACCES;
        *out = scheme_find(sp->scheme);   /* every program may use the others */
        return *out ? 0 : -ENODEV;
    }
    if (sp->plain) {
        bool file = scheme_find(FILE_SCHEME) != NULL;
        strlcpy(sp->scheme, file ? FILE_SCHEME : INITFS_SCHEME, sizeof(sp->scheme));
        if (!caps_allows(c, FILE_SCHEME) && (file || !caps_allows(c, INITFS_SCHEME)))
            return -EACCES;
    } else if (!caps_allows(c, sp->scheme) && strcmp(sp->scheme, SHM_SCHEME) != 0 &&
               strcmp(sp->scheme, PROC_SCHEME) != 0) {
        return -EACCES;
    }
    *out = scheme_find(sp->scheme);
    return *out ? 0 : -ENODEV;
}
