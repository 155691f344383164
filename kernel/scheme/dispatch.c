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

int scheme_stat_path(struct scheme_path *sp, struct kstat *st)
{
    struct file *f;
    int err = scheme_open_path(sp, O_RDONLY, 0, &f);

    if (err)
        return err;
    err = f->ops->stat ? f->ops->stat(f, st) : -EINVAL;
    file_put(f);
    return err;
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
    struct scheme *a, *b;
    int err = resolve(from, &a);

    if (err || (err = resolve(to, &b)))
        return err;
    if (a != b)
        return -EXDEV;
    return a->ops->rename ? a->ops->rename(a, from->rest, to->rest) : -EROFS;
}
