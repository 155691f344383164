/* kernel/scheme/dispatch.c: routed path operations (see dispatch.h). */
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "scheme/dispatch.h"

static int resolve(struct scheme_path *sp, struct scheme **s)
{
    return scheme_resolve(proc_current(), sp, s);
}

int scheme_open_path(struct scheme_path *sp, unsigned flags, unsigned mode, struct file **out)
{
    struct scheme *s;
    int err = resolve(sp, &s);

    if (err)
        return err;
    if (!s->ops->open)
        return -ENOENT;
    return s->ops->open(s, sp->rest, flags, mode, out);
}

/* stat through open + the file's stat (schemes without a stat op). */
static int stat_by_open(struct scheme *s, const char *path, struct kstat *st)
{
    struct file *f;
    int err;

    if (!s->ops->open)
        return -ENOENT;
    if ((err = s->ops->open(s, path, O_RDONLY, 0, &f)) < 0)
        return err;
    err = f->ops->stat ? f->ops->stat(f, st) : -EINVAL;
    file_put(f);
    return err;
}

int scheme_stat_path_flags(struct scheme_path *sp, unsigned flags, struct kstat *st)
{
    struct scheme *s;
    int err = resolve(sp, &s);

    if (err)
        return err;
    if (s->ops->stat && (err = s->ops->stat(s, sp->rest, flags, st)) != -ENOSYS)
        return err;
    return stat_by_open(s, sp->rest, st);
}

int scheme_stat_path(struct scheme_path *sp, struct kstat *st)
{
    return scheme_stat_path_flags(sp, 0, st);
}

int scheme_setattr_path(struct scheme_path *sp, unsigned flags, const struct anvil_setattr *a)
{
    struct scheme *s;
    struct kstat st;
    int err = resolve(sp, &s);

    if (err)
        return err;
    if (s->ops->setattr)
        return s->ops->setattr(s, sp->rest, flags, a);
    return (err = stat_by_open(s, sp->rest, &st)) < 0 ? err : -EROFS;
}

int scheme_symlink_path(const char *target, struct scheme_path *sp)
{
    struct scheme *s;
    int err = resolve(sp, &s);

    if (err)
        return err;
    return s->ops->symlink ? s->ops->symlink(s, target, sp->rest) : -EROFS;
}

long scheme_readlink_path(struct scheme_path *sp, char *buf, size_t size)
{
    struct scheme *s;
    struct kstat st;
    long ret;
    int err = resolve(sp, &s);

    if (err)
        return err;
    if (s->ops->readlink && (ret = s->ops->readlink(s, sp->rest, buf, size)) != -ENOSYS)
        return ret;
    return (err = stat_by_open(s, sp->rest, &st)) < 0 ? err : -EINVAL;
}

/* The one scheme both paths reach, or -EXDEV. */
static int resolve_both(struct scheme_path *from, struct scheme_path *to, struct scheme **s)
{
    struct scheme *b;
    int err = resolve(from, s);

    if (err || (err = resolve(to, &b)))
        return err;
    return *s == b ? 0 : -EXDEV;
}

int scheme_link_path(struct scheme_path *from, struct scheme_path *to, unsigned flags)
{
    struct scheme *s;
    int err = resolve_both(from, to, &s);

    if (err)
        return err;
    return s->ops->link ? s->ops->link(s, from->rest, to->rest, flags) : -EROFS;
}

void scheme_statfs_generic(struct anvil_statfs *st)
{
    memset(st, 0, sizeof(*st));
    st->type = ANVIL_STATFS_KERNEL;
    st->bsize = 4096;
    st->namelen = 255;
}

int scheme_statfs_path(struct scheme_path *sp, struct anvil_statfs *st)
{
    struct scheme *s;
    struct kstat kst;
    int err = resolve(sp, &s);

    if (err)
        return err;
    if (s->ops->statfs && (err = s->ops->statfs(s, sp->rest, st)) != -ENOSYS)
        return err;
    if ((err = stat_by_open(s, sp->rest, &kst)) < 0)
        return err;
    scheme_statfs_generic(st);
    return 0;
}

int scheme_unlink_path(struct scheme_path *sp)
{
    struct scheme *s;
    int err = resolve(sp, &s);

    if (err)
        return err;
    return s->ops->unlink ? s->ops->unlink(s, sp->rest) : -EROFS;
}

int scheme_mkdir_path(struct scheme_path *sp, unsigned mode)
{
    struct scheme *s;
    int err = resolve(sp, &s);

    if (err)
        return err;
    return s->ops->mkdir ? s->ops->mkdir(s, sp->rest, mode) : -EROFS;
}

int scheme_rmdir_path(struct scheme_path *sp)
{
    struct scheme *s;
    int err = resolve(sp, &s);

    if (err)
        return err;
    return s->ops->rmdir ? s->ops->rmdir(s, sp->rest) : -EROFS;
}

int scheme_rename_path(struct scheme_path *from, struct scheme_path *to)
{
    struct scheme *s;
    int err = resolve_both(from, to, &s);

    if (err)
        return err;
    return s->ops->rename ? s->ops->rename(s, from->rest, to->rest) : -EROFS;
}
