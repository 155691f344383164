/* kernel/scheme/mount.c: the mount table (see mount.h). */
#include "lib/errno.h"
#include "lib/string.h"
#include "scheme/mount.h"

struct mount {
    char at[SCHEME_MOUNT_AT_MAX];        /* "" = free slot */
    char scheme[SCHEME_NAME_MAX + 1];
};

/* The table (single CPU, interrupts off in the kernel: no lock, as the registry). */
static struct mount mounts[MOUNT_MAX];

/* The length of the mount point p covers path with, or 0. */
static size_t covers(const char *point, const char *path)
{
    size_t n = strlen(point);

    if (!n || strncmp(point, path, n) != 0 || (path[n] && path[n] != '/'))
        return 0;
    return n;
}

bool mount_route(struct scheme_path *sp)
{
    struct mount *best = NULL;
    size_t best_n = 0, n;

    for (int i = 0; i < MOUNT_MAX; i++)
        if ((n = covers(mounts[i].at, sp->rest)) > best_n) {
            best = &mounts[i];
            best_n = n;
        }
    if (!best)
        return false;
    strlcpy(sp->at, best->at, sizeof(sp->at));
    strlcpy(sp->scheme, best->scheme, sizeof(sp->scheme));
    memmove(sp->rest, sp->rest[best_n] ? sp->rest + best_n + 1 : sp->rest + best_n,
            strlen(sp->rest + best_n) + 1);
    return true;
}

int mount_add(const char *at, const char *scheme)
{
    struct mount *free_slot = NULL;

    if (strlen(at) >= SCHEME_MOUNT_AT_MAX)
        return -ENAMETOOLONG;
    for (int i = 0; i < MOUNT_MAX; i++) {
        if (!mounts[i].at[0]) {
            free_slot = free_slot ? free_slot : &mounts[i];
            continue;
        }
        if (!strcmp(mounts[i].at, at) || !strcmp(mounts[i].scheme, scheme))
            return -EBUSY;
    }
    if (!free_slot)
        return -ENOMEM;
    strlcpy(free_slot->at, at, sizeof(free_slot->at));
    strlcpy(free_slot->scheme, scheme, sizeof(free_slot->scheme));
    return 0;
}

int mount_remove(const char *at, char scheme[SCHEME_NAME_MAX + 1])
{
    for (int i = 0; i < MOUNT_MAX; i++) {
        if (mounts[i].at[0] && !strcmp(mounts[i].at, at)) {
            strlcpy(scheme, mounts[i].scheme, SCHEME_NAME_MAX + 1);
            mounts[i].at[0] = '\0';
            return 0;
        }
    }
    return -EINVAL;
}

const char *mount_point(const char *scheme)
{
    for (int i = 0; i < MOUNT_MAX; i++)
        if (mounts[i].at[0] && !strcmp(mounts[i].scheme, scheme))
            return mounts[i].at;
    return NULL;
}

const char *mount_nth(int n)
{
    for (int i = 0; i < MOUNT_MAX; i++)
        if (mounts[i].at[0] && n-- == 0)
            return mounts[i].scheme;
    return NULL;
}

/* Straight to the scheme, not through the caller's namespace: a mount is
 * part of the tree, whose flush every program may ask for. */
void mount_sync(const char *scheme)
{
    struct scheme *s = scheme_find(scheme);
    struct file *f;

    if (!s || !s->ops->open || s->ops->open(s, "", O_RDONLY | O_DIRECTORY, 0, &f) < 0)
        return;
    if (f->ops->fsync)
        f->ops->fsync(f, false);
    file_put(f);
}

void mount_sync_all(void)
{
    const char *s;

    for (int i = 0; (s = mount_nth(i)); i++)
        mount_sync(s);
}
