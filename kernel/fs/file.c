/* kernel/fs/file.c: file reference counting. */
#include "fs/file.h"
#include "fs/lock.h"
#include "mm/kmem.h"
#include "sched/sched.h"

const char file_poll_chan;

struct file *file_new(const struct file_ops *ops, unsigned flags, void *priv)
{
    struct file *f = kzalloc(sizeof(*f));

    if (!f)
        return NULL;
    f->ops = ops;
    f->refs = 1;
    f->flags = flags;
    f->priv = priv;
    return f;
}

void file_get(struct file *f)
{
    f->refs++;
}

void file_put(struct file *f)
{
    if (!f || --f->refs > 0)
        return;
    lock_file_release(f);
    if (f->ops->release)
        f->ops->release(f);
    kfree(f);
}

void file_poll_notify(void)
{
    sched_wakeup(&file_poll_chan);
}
