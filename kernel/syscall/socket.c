/* kernel/syscall/socket.c: the BSD socket calls (Linux numbers 41-55, 288).
 * Every address, length, iovec, msghdr and control message from user space
 * is copied in and checked here, before the family (net/) sees a kernel
 * copy; fds passed with SCM_RIGHTS become references here and fds again
 * here. */
#include "fs/fdtable.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "net/socket.h"
#include "proc/proc.h"
#include "syscall/syscall.h"

#define OPT_MAX 64

/* The socket behind fd, with a file reference in *fp: or -EBADF, -ENOTSOCK. */
static struct socket *sock_get(int fd, struct file **fp, long *err)
{
    struct file *f = fd_get(proc_current(), fd);

    *fp = f;
    if (!f) {
        *err = -EBADF;
        return NULL;
    }
    if (!socket_is(f)) {
        file_put(f);
        *fp = NULL;
        *err = -ENOTSOCK;
        return NULL;
    }
    return socket_of(f);
}

static int addr_in(void *kaddr, uintptr_t uaddr, uint64_t len)
{
    if (len > SOCK_ADDR_MAX)
        return -EINVAL;
    return copy_from_user(kaddr, uaddr, len) < 0 ? -EFAULT : 0;
}

int syscall_addrlen_get(uintptr_t uaddr, uintptr_t ulen, int *len)
{
    *len = 0;
    if (!uaddr)
        return 0;
    if (copy_from_user(len, ulen, sizeof(*len)) < 0)
        return -EFAULT;
    if (*len < 0)
        return -EINVAL;
    return user_range_ok(uaddr, (size_t)*len) ? 0 : -EFAULT;
}

/* Give back an address: at most room bytes of it, and its whole length. */
static int addr_out(uintptr_t uaddr, uintptr_t ulen, int room, const void *kaddr, unsigned klen)
{
    int len = (int)klen;

    if (!uaddr)
        return 0;
    if (copy_to_user(uaddr, kaddr, klen < (unsigned)room ? klen : (unsigned)room) < 0 ||
        copy_to_user(ulen, &len, sizeof(len)) < 0)
        return -EFAULT;
    return 0;
}

static bool type_flags_ok(uint64_t type)
{
    return ((uint32_t)type & ~(uint32_t)(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) == 0 &&
           type <= UINT32_MAX;
}

long sys_socket(SYSCALL_ARGS)
{
    struct file *f;
    int err, fd;

    if (!type_flags_ok(a1))
        return -EINVAL;
    if ((err = socket_create((int)a0, (int)(a1 & SOCK_TYPE_MASK), (int)a2, (unsigned)a1, &f)) < 0)
        return err;
    if ((fd = fd_install(proc_current(), f, 0, a1 & SOCK_CLOEXEC)) < 0)
        file_put(f);
    return fd;
}

long sys_socketpair(SYSCALL_ARGS)
{
    struct file *a, *b;
    int err;

    if (!type_flags_ok(a1))
        return -EINVAL;
    if (!user_range_ok(a3, 2 * sizeof(int)))
        return -EFAULT;
    if ((err = socket_create((int)a0, (int)(a1 & SOCK_TYPE_MASK), (int)a2, (unsigned)a1, &a)) < 0)
        return err;
    if ((err = socket_create((int)a0, (int)(a1 & SOCK_TYPE_MASK), (int)a2, (unsigned)a1, &b)) < 0) {
        file_put(a);
        return err;
    }
    struct socket *sa = socket_of(a), *sb = socket_of(b);
    if (!sa->fam->pair || (err = sa->fam->pair(sa, sb)) < 0) {
        file_put(a);
        file_put(b);
        return sa->fam->pair ? err : -EOPNOTSUPP;
    }
    return fd_install_pair(proc_current(), a, b, a1 & SOCK_CLOEXEC, a3);
}

/* bind and connect: a socket and an address copied in. */
static long addr_call(int fd, uintptr_t uaddr, uint64_t len, bool connect)
{
    uint8_t addr[SOCK_ADDR_MAX];
    struct file *f;
    long err;
    struct socket *s = sock_get(fd, &f, &err);

    if (!s)
        return err;
    if ((err = addr_in(addr, uaddr, len)) == 0) {
        if (connect)
            err = s->fam->connect ? s->fam->connect(s, addr, (unsigned)len, f->flags & O_NONBLOCK)
                                  : -EOPNOTSUPP;
        else
            err = s->fam->bind ? s->fam->bind(s, addr, (unsigned)len) : -EOPNOTSUPP;
    }
    file_put(f);
    return err;
}

long sys_bind(SYSCALL_ARGS)
{
    return addr_call((int)a0, a1, a2, false);
}

long sys_connect(SYSCALL_ARGS)
{
    return addr_call((int)a0, a1, a2, true);
}

long sys_listen(SYSCALL_ARGS)
{
    struct file *f;
    long err;
    struct socket *s = sock_get((int)a0, &f, &err);

    if (!s)
        return err;
    err = s->fam->listen ? s->fam->listen(s, (int)a1) : -EOPNOTSUPP;
    file_put(f);
    return err;
}

static long do_accept(int fd, uintptr_t uaddr, uintptr_t ulen, uint64_t flags)
{
    uint8_t addr[SOCK_ADDR_MAX];
    struct file *f, *nf;
    struct socket *ns;
    int room = 0, nfd;
    long err;
    struct socket *s;

    if (flags & ~(uint64_t)(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    if (!(s = sock_get(fd, &f, &err)))
        return err;
    if ((err = syscall_addrlen_get(uaddr, ulen, &room)) < 0)
        goto out;
    if (!s->fam->accept) {
        err = -EOPNOTSUPP;
        goto out;
    }
    if ((err = socket_create_accepted(s, (unsigned)flags, &nf)) < 0)
        goto out;
    ns = socket_of(nf);
    if ((err = s->fam->accept(s, ns, f->flags & O_NONBLOCK)) < 0) {
        file_put(nf);
        goto out;
    }
    err = s->fam->getname(ns, addr, true);
    if (err < 0)
        err = 0;   /* the peer went already: no name to give */
    if ((err = addr_out(uaddr, ulen, room, addr, (unsigned)err)) < 0) {
        file_put(nf);
        goto out;
    }
    if ((nfd = fd_install(proc_current(), nf, 0, flags & SOCK_CLOEXEC)) < 0)
        file_put(nf);
    err = nfd;
out:
    file_put(f);
    return err;
}

long sys_accept(SYSCALL_ARGS)
{
    return do_accept((int)a0, a1, a2, 0);
}

long sys_accept4(SYSCALL_ARGS)
{
    return do_accept((int)a0, a1, a2, a3);
}

long sys_shutdown(SYSCALL_ARGS)
{
    struct file *f;
    long err;
    struct socket *s = sock_get((int)a0, &f, &err);

    if (!s)
        return err;
    err = s->fam->shutdown ? s->fam->shutdown(s, (int)a1) : -EOPNOTSUPP;
    file_put(f);
    return err;
}

static long name_call(int fd, uintptr_t uaddr, uintptr_t ulen, bool peer)
{
    uint8_t addr[SOCK_ADDR_MAX];
    struct file *f;
    int room;
    long err;
    struct socket *s = sock_get(fd, &f, &err);

    if (!s)
        return err;
    if (!uaddr)
        err = -EFAULT;
    else if ((err = syscall_addrlen_get(uaddr, ulen, &room)) == 0 && (err = s->fam->getname(s, addr, peer)) >= 0)
        err = addr_out(uaddr, ulen, room, addr, (unsigned)err);
    file_put(f);
    return err;
}

long sys_getsockname(SYSCALL_ARGS)
{
    return name_call((int)a0, a1, a2, false);
}

long sys_getpeername(SYSCALL_ARGS)
{
    return name_call((int)a0, a1, a2, true);
}

long sys_setsockopt(SYSCALL_ARGS)
{
    uint8_t val[OPT_MAX];
    struct file *f;
    long err;
    struct socket *s = sock_get((int)a0, &f, &err);

    if (!s)
        return err;
    if ((int)a4 < 0)
        err = -EINVAL;
    else if (copy_from_user(val, a3, (uint32_t)a4 < OPT_MAX ? (uint32_t)a4 : OPT_MAX) < 0)
        err = -EFAULT;
    else
        err = socket_setopt(s, (int)a1, (int)a2, val, (uint32_t)a4 < OPT_MAX ? (uint32_t)a4 : OPT_MAX);
    file_put(f);
    return err;
}

long sys_getsockopt(SYSCALL_ARGS)
{
    uint8_t val[OPT_MAX];
    struct file *f;
    int len;
    unsigned klen;
    long err;
    struct socket *s = sock_get((int)a0, &f, &err);

    if (!s)
        return err;
    if (copy_from_user(&len, a4, sizeof(len)) < 0)
        err = -EFAULT;
    else if (len < 0)
        err = -EINVAL;
    else {
        klen = len < OPT_MAX ? (unsigned)len : OPT_MAX;
        if ((err = socket_getopt(s, (int)a1, (int)a2, val, &klen)) == 0) {
            len = (int)klen;
            if (copy_to_user(a3, val, klen) < 0 || copy_to_user(a4, &len, sizeof(len)) < 0)
                err = -EFAULT;
        }
    }
    file_put(f);
    return err;
}
