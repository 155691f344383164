/* kernel/scheme/route.h: the path router. Four forms reach a scheme:
 *   name:rest   name://rest   /scheme/name/rest   /rest (the file scheme)
 * and a relative path is joined to the working directory first. Until a
 * daemon registers "file", plain /paths reach the kernel's initfs, so images
 * without services keep working. */
#ifndef ANVIL_SCHEME_ROUTE_H
#define ANVIL_SCHEME_ROUTE_H

#include <stdbool.h>

#include "fs/path.h"
#include "scheme/scheme.h"

struct proc;

#define SCHEME_MOUNT_AT_MAX 128         /* a mount point's path (scheme/mount.h) */

struct scheme_path {
    char scheme[SCHEME_NAME_MAX + 1];   /* "" for a plain path until resolved */
    char rest[PATH_MAX_LEN];            /* normalised, no leading '/' */
    bool plain;                         /* written as /rest */
    char at[SCHEME_MOUNT_AT_MAX];       /* resolved below a mount point: written /at/rest */
    bool reg;                           /* ":name": registering scheme `rest` */
};

/* Parse path (joined to cwd when relative) into *out: 0, -ENOENT (empty),
 * -ENAMETOOLONG, -EINVAL. */
int scheme_route(const char *cwd, const char *path, struct scheme_path *out);
/* The canonical text of sp ("/rest" when plain, "/at/rest" below a mount
 * point, else "name:/rest"):
 * what getcwd shows and relative paths join to. 0 or -ENAMETOOLONG. */
int scheme_path_format(const struct scheme_path *sp, char *out, size_t size);
/* The scheme sp reaches, allowed by p's namespace: 0, -EACCES (not in the
 * namespace), -ENODEV (no such scheme). Plain /dev device names (null,
 * zero, full, random, urandom, console, tty, stdin, stdout, stderr, fd/N,
 * shm/) and /proc go to kernel schemes, for every program (sp is rewritten;
 * see route.c's tables); a path at or below a mount point to the mounted
 * scheme, for programs that may use file:. */
int scheme_resolve(const struct proc *p, struct scheme_path *sp, struct scheme **out);

#endif
