/* kernel/syscall/sockmsg.c: sendto, recvfrom, sendmsg and recvmsg. The
 * msghdr, its iovecs and its control messages are copied in and checked
 * (every buffer inside mapped user space, lengths bounded, each cmsg inside
 * the control buffer) before the family runs; received fds are installed
 * here, and those that do not fit the caller's control buffer are closed
 * with MSG_CTRUNC, as on Linux. */
#include "fs/fdtable.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "net/socket.h"
#include "proc/proc.h"
#include "syscall/syscall.h"

#define IOV_MAX 1024
#define IO_MAX (1ul << 31)
#define CONTROL_MAX 20480   /* Linux's optmem_max */

struct msghdr_k {
    uint64_t name;
    uint32_t namelen, pad0;
    uint64_t iov, iovlen, control, controllen;
    int32_t flags, pad1;
};
_Static_assert(sizeof(struct msghdr_k) == 56, "ABI: struct msghdr is 56 bytes");

struct cmsghdr_k {
    uint64_t len;
    int32_t level, type;
};
_Static_assert(sizeof(struct cmsghdr_k) == 16, "ABI: struct cmsghdr is 16 bytes");

#define CMSG_ALIGN(n) (((n) + 7) & ~(size_t)7)
#define CMSG_HDR sizeof(struct cmsghdr_k)

/* One call's state: the message and what must be undone. */
struct call {
    struct file *f;
    struct socket *s;
    struct sock_msg m;
    struct sock_iov one;
    struct sock_iov *iov;       /* allocated for msghdrs */
};

static void call_end(struct call *c)
{
    for (unsigned i = 0; i < c->m.nfiles; i++)
        file_put(c->m.files[i]);
    kfree(c->m.files);
    kfree(c->iov);
    if (c->f)
        file_put(c->f);
}

static long call_begin(struct call *c, int fd)
{
    *c = (struct call){0};
    if (!(c->f = fd_get(proc_current(), fd)))
        return -EBADF;
    if (!(c->s = socket_of(c->f)))
        return -ENOTSOCK;
    return 0;
}

/* The user's iovec array into c->m, every buffer checked. */
static long iov_in(struct call *c, uintptr_t uiov, uint64_t n)
{
    size_t total = 0;

    if (n > IOV_MAX)
        return -EMSGSIZE;
    if (!(c->iov = kmalloc(n * sizeof(*c->iov) + 1)))
        return -ENOMEM;
    if (copy_from_user(c->iov, uiov, n * sizeof(*c->iov)) < 0)
        return -EFAULT;
    for (uint64_t i = 0; i < n; i++) {
        if (c->iov[i].len > IO_MAX || total + c->iov[i].len > IO_MAX)
            return -EINVAL;
        if (!user_range_ok(c->iov[i].base, c->iov[i].len))
            return -EFAULT;
        total += c->iov[i].len;
    }
    c->m.iov = c->iov;
    c->m.iovlen = n;
    c->m.len = total;
    return 0;
}

static long buf_in(struct call *c, uintptr_t ubuf, uint64_t len)
{
    if (len > IO_MAX)
        return -EINVAL;
    if (!user_range_ok(ubuf, len))
        return -EFAULT;
    c->one = (struct sock_iov){ubuf, len};
    c->m.iov = &c->one;
    c->m.iovlen = 1;
    c->m.len = len;
    return 0;
}

/* SCM_RIGHTS: take a reference on each fd named (at most SOCK_FDS_MAX in all). */
static long rights_in(struct call *c, const uint8_t *data, size_t len)
{
    unsigned n = (unsigned)(len / sizeof(int));

    if (c->m.files || n == 0 || n > SOCK_FDS_MAX)
        return -EINVAL;
    if (!(c->m.files = kzalloc(n * sizeof(struct file *))))
        return -ENOMEM;
    for (unsigned i = 0; i < n; i++) {
        int fd;
        memcpy(&fd, data + i * sizeof(int), sizeof(fd));
        if (!(c->m.files[i] = fd_get(proc_current(), fd)))
            return -EBADF;
        c->m.nfiles++;
    }
    return 0;
}

/* Walk the control messages of a send (Linux's CMSG_NXTHDR rules). */
static long control_in(struct call *c, uintptr_t uctl, uint64_t len)
{
    uint8_t *buf;
    size_t off = 0;
    long err = 0;

    if (len > CONTROL_MAX)
        return -ENOBUFS;
    if (len < CMSG_HDR)
        return 0;
    if (!(buf = kmalloc(len)))
        return -ENOMEM;
    if (copy_from_user(buf, uctl, len) < 0)
        err = -EFAULT;
    while (!err && len - off >= CMSG_HDR) {
        struct cmsghdr_k h;
        memcpy(&h, buf + off, sizeof(h));
        if (h.len < CMSG_HDR || h.len > len - off) {
            err = -EINVAL;
            break;
        }
        if (h.level != SOL_SOCKET)
            err = -EINVAL;
        else if (h.type == SCM_RIGHTS)
            err = rights_in(c, buf + off + CMSG_HDR, h.len - CMSG_HDR);
        else if (h.type == SCM_CREDENTIALS && h.len == CMSG_HDR + sizeof(struct sock_cred)) {
            memcpy(&c->m.cred, buf + off + CMSG_HDR, sizeof(c->m.cred));
            c->m.has_cred = true;
        } else
            err = -EINVAL;
        if (CMSG_ALIGN(h.len) > len - off)
            break;
        off += CMSG_ALIGN(h.len);
    }
    kfree(buf);
    return err;
}

static long do_send(struct call *c, unsigned flags)
{
    struct socket *s = c->s;

    c->m.flags = flags;
    if (!s->fam->send)
        return -EOPNOTSUPP;
    return s->fam->send(s, &c->m, (c->f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT));
}

long sys_sendto(SYSCALL_ARGS)
{
    struct call c;
    long err = call_begin(&c, (int)a0);

    if (!err)
        err = buf_in(&c, a1, a2);
    if (!err && a4) {
        if (a5 > SOCK_ADDR_MAX)
            err = -EINVAL;
        else if (copy_from_user(c.m.addr, a4, a5) < 0)
            err = -EFAULT;
        c.m.addrlen = (unsigned)a5;
    }
    if (!err)
        err = do_send(&c, (unsigned)a3);
    call_end(&c);
    return err;
}

long sys_sendmsg(SYSCALL_ARGS)
{
    struct msghdr_k h;
    struct call c;
    long err = call_begin(&c, (int)a0);

    if (!err && copy_from_user(&h, a1, sizeof(h)) < 0)
        err = -EFAULT;
    if (!err && h.name) {
        if (h.namelen > SOCK_ADDR_MAX)
            err = -EINVAL;
        else if (copy_from_user(c.m.addr, h.name, h.namelen) < 0)
            err = -EFAULT;
        c.m.addrlen = h.namelen;
    }
    if (!err)
        err = iov_in(&c, h.iov, h.iovlen);
    if (!err)
        err = control_in(&c, h.control, h.controllen);
    if (!err)
        err = do_send(&c, (unsigned)a2);
    call_end(&c);
    return err;
}

/* Room for fds in a control buffer of len bytes (after creds when wanted). */
static unsigned rights_room(uint64_t len, bool creds)
{
    uint64_t room = len;
    uint64_t cred_space = CMSG_HDR + CMSG_ALIGN(sizeof(struct sock_cred));

    if (creds)
        room = room >= cred_space ? room - cred_space : 0;
    if (room < CMSG_HDR + sizeof(int))
        return 0;
    room = (room - CMSG_HDR) / sizeof(int);
    return room > SOCK_FDS_MAX ? SOCK_FDS_MAX : (unsigned)room;
}

/* Install the fds received and write the control messages: the bytes used. */
static long control_out(struct call *c, uintptr_t uctl, uint64_t len, unsigned flags, bool creds)
{
    uint8_t buf[CMSG_HDR + SOCK_FDS_MAX * sizeof(int) + 8];
    uint64_t used = 0;
    unsigned n = 0;

    if (creds && len >= CMSG_HDR + sizeof(struct sock_cred)) {
        struct cmsghdr_k h = {CMSG_HDR + sizeof(struct sock_cred), SOL_SOCKET, SCM_CREDENTIALS};
        if (copy_to_user(uctl, &h, sizeof(h)) < 0 || copy_to_user(uctl + CMSG_HDR, &c->m.cred, sizeof(c->m.cred)) < 0)
            return -EFAULT;
        used = CMSG_HDR + CMSG_ALIGN(sizeof(struct sock_cred));
    } else if (creds) {
        c->m.out_flags |= MSG_CTRUNC;
    }
    for (unsigned i = 0; i < c->m.nfiles; i++) {
        int fd = fd_install(proc_current(), c->m.files[i], 0, flags & MSG_CMSG_CLOEXEC);
        if (fd < 0) {
            file_put(c->m.files[i]);
            c->m.out_flags |= MSG_CTRUNC;
            continue;
        }
        memcpy(buf + CMSG_HDR + n++ * sizeof(int), &fd, sizeof(fd));
    }
    c->m.nfiles = 0;   /* installed or closed: none left to put */
    if (n) {
        struct cmsghdr_k h = {CMSG_HDR + n * sizeof(int), SOL_SOCKET, SCM_RIGHTS};
        memcpy(buf, &h, sizeof(h));
        if (copy_to_user(uctl + used, buf, h.len) < 0)
            return -EFAULT;   /* the fds stay installed, as on Linux */
        used += h.len;
    }
    return (long)used;
}

static long do_recv(struct call *c, unsigned flags, uint64_t controllen)
{
    struct socket *s = c->s;
    bool creds = s->passcred && controllen;

    c->m.flags = flags;
    c->m.files_max = rights_room(controllen, creds);
    if (c->m.files_max && !(c->m.files = kzalloc(c->m.files_max * sizeof(struct file *))))
        return -ENOMEM;
    if (!s->fam->recv)
        return -EOPNOTSUPP;
    return s->fam->recv(s, &c->m, (c->f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT));
}

long sys_recvfrom(SYSCALL_ARGS)
{
    struct call c;
    int room = 0, len;
    long ret = call_begin(&c, (int)a0), err;

    if (!ret)
        ret = buf_in(&c, a1, a2);
    if (!ret)
        ret = syscall_addrlen_get(a4, a5, &room);
    if (!ret)
        ret = do_recv(&c, (unsigned)a3, 0);
    if (ret >= 0 && a4) {   /* no sender (a stream): the length says 0, as Linux's */
        len = (int)c.m.addrlen;
        err = len ? copy_to_user(a4, c.m.addr, c.m.addrlen < (unsigned)room ? c.m.addrlen : (unsigned)room)
                  : 0;
        if (err < 0 || copy_to_user(a5, &len, sizeof(len)) < 0)
            ret = -EFAULT;
    }
    call_end(&c);
    return ret;
}

long sys_recvmsg(SYSCALL_ARGS)
{
    struct msghdr_k h;
    struct call c;
    int room = 0;
    long ret = call_begin(&c, (int)a0), used = 0;

    if (!ret && copy_from_user(&h, a1, sizeof(h)) < 0)
        ret = -EFAULT;
    if (!ret && h.name && (int)h.namelen < 0)
        ret = -EINVAL;
    if (!ret && h.name && !user_range_ok(h.name, h.namelen))
        ret = -EFAULT;
    room = ret ? 0 : (int)h.namelen;
    if (!ret)
        ret = iov_in(&c, h.iov, h.iovlen);
    if (!ret && h.controllen && !user_range_ok(h.control, h.controllen))
        ret = -EFAULT;
    if (!ret)
        ret = do_recv(&c, (unsigned)a2, h.controllen);
    if (ret >= 0 && (used = control_out(&c, h.control, h.controllen, (unsigned)a2, c.s->passcred)) < 0)
        ret = used;
    if (ret >= 0) {
        h.namelen = h.name ? c.m.addrlen : 0;
        h.controllen = (uint64_t)used;
        h.flags = (int32_t)c.m.out_flags;
        if ((h.name && copy_to_user(h.name, c.m.addr, c.m.addrlen < (unsigned)room ? c.m.addrlen : (unsigned)room) < 0) ||
            copy_to_user(a1, &h, sizeof(h)) < 0)
            ret = -EFAULT;
    }
    call_end(&c);
    return ret;
}

long syscall_sock_iov(struct file *f, uintptr_t uiov, int cnt, bool write)
{
    struct call c = {0};
    long ret;

    if (cnt < 0)
        return -EINVAL;
    file_get(f);
    c.f = f;
    c.s = socket_of(f);
    ret = iov_in(&c, uiov, (uint64_t)cnt);
    if (ret == -EMSGSIZE)
        ret = -EINVAL;   /* readv/writev's error for too many buffers */
    if (!ret)
        ret = write ? do_send(&c, 0) : do_recv(&c, 0, 0);
    call_end(&c);
    return ret;
}
