/* kernel/fs/fdtable.c: the fd table operations. */
#include "fs/fdtable.h"
#include "fs/lock.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "proc/rlimit.h"

static bool valid(int fd)
{
    return fd >= 0 && fd < PROC_FD_MAX;
}

struct file *fd_get(struct proc *p, int fd)
{
    struct file *f;

    if (!valid(fd) || !(f = p->fds.files[fd]))
        return NULL;
    file_get(f);
    return f;
}

int fd_install(struct proc *p, struct file *f, int min, bool cloexec)
{
    int limit = rlimit_nofile(p);

    for (int fd = min < 0 ? 0 : min; fd < limit; fd++) {
        if (!p->fds.files[fd]) {
            p->fds.files[fd] = f;
            p->fds.cloexec[fd] = cloexec;
            return fd;
        }
    }
    return -EMFILE;
}

int fd_install_pair(struct proc *p, struct file *a, struct file *b, bool cloexec, uintptr_t ufds)
{
    int fds[2];

    fds[0] = fd_install(p, a, 0, cloexec);
    fds[1] = fds[0] < 0 ? -EMFILE : fd_install(p, b, 0, cloexec);
    if (fds[1] >= 0 && copy_to_user(ufds, fds, sizeof(fds)) == 0)
        return 0;
    if (fds[0] >= 0)
        fd_close(p, fds[0]);
    else
        file_put(a);
    if (fds[1] >= 0)
        fd_close(p, fds[1]);
    else
        file_put(b);
    return fds[1] >= 0 ? -EFAULT : -EMFILE;
}

int fd_install_at(struct proc *p, struct file *f, int fd, bool cloexec)
{
    struct file *old;

    if (!valid(fd) || fd >= rlimit_nofile(p))
        return -EBADF;
    old = p->fds.files[fd];
    p->fds.files[fd] = f;
    p->fds.cloexec[fd] = cloexec;
    if (old)
        lock_close(p, old);   /* POSIX: closing any fd of a file drops our locks on it */
    file_put(old);
    return fd;
}

int fd_close(struct proc *p, int fd)
{
    struct file *f;

    if (!valid(fd) || !(f = p->fds.files[fd]))
        return -EBADF;
    p->fds.files[fd] = NULL;
    p->fds.cloexec[fd] = false;
    lock_close(p, f);
    file_put(f);
    return 0;
}

void fd_copy(struct proc *to, struct proc *from)
{
    for (int fd = 0; fd < PROC_FD_MAX; fd++) {
        to->fds.files[fd] = from->fds.files[fd];
        to->fds.cloexec[fd] = from->fds.cloexec[fd];
        if (to->fds.files[fd])
            file_get(to->fds.files[fd]);
    }
}

void fd_close_all(struct proc *p)
{
    for (int fd = 0; fd < PROC_FD_MAX; fd++)
        if (p->fds.files[fd])
            fd_close(p, fd);
}

void fd_close_on_exec(struct proc *p)
{
    for (int fd = 0; fd < PROC_FD_MAX; fd++)
        if (p->fds.files[fd] && p->fds.cloexec[fd])
            fd_close(p, fd);
}
