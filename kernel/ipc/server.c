/* kernel/ipc/server.c: the daemon's end of a user scheme: registering the
 * name, reading requests (mapping each one's window into the daemon),
 * writing replies, and failing everything when the daemon's handle goes. */
#include "ipc/request.h"
#include "ipc/uscheme.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "scheme/registry.h"

#define PACKET sizeof(struct anvil_packet)
#define ERRNO_MAX 4095   /* results in -4095..-1 are errors (the Linux convention) */

static size_t page_round(size_t n)
{
    return (n + VM_PAGE_SIZE - 1) & ~(VM_PAGE_SIZE - 1);
}

/* A window of whole frames is mapped as it is (the daemon sees nothing of
 * the kernel's: the bytes past the input are zeroed first). */
static int map_frames(struct ipc_req *r, struct vm_space *vs, uintptr_t addr, size_t map)
{
    uint64_t frames[ANVIL_SCHEME_WINDOW_MAX / VM_PAGE_SIZE];

    if (map > sizeof(frames) / sizeof(frames[0]) * VM_PAGE_SIZE)
        return -EINVAL;
    memset(r->buf + r->in_len, 0, map - r->in_len);
    for (size_t i = 0; i < map / VM_PAGE_SIZE; i++)
        frames[i] = r->frames + i * VM_PAGE_SIZE;
    return vm_map_frames(vs, addr, map, VM_READ | VM_WRITE, frames);
}

/* A heap window gets fresh pages with a copy of the input. */
static int map_copy(struct ipc_req *r, struct vm_space *vs, uintptr_t addr, size_t map)
{
    int err;

    if ((err = vm_map(vs, addr, map, VM_READ | VM_WRITE)) < 0)
        return err;
    if (r->in_len && copy_to_user(addr, r->buf, r->in_len) < 0) {
        vm_unmap(vs, addr, map);
        return -ENOMEM;
    }
    return 0;
}

/* Give r's window a mapping in the running (daemon) process. */
static int window_map(struct ipc_req *r)
{
    struct vm_space *vs = proc_current()->vm;
    size_t map = page_round(r->win_len);
    uintptr_t addr;
    int err;

    if (!r->win_len)
        return 0;
    if (!(addr = vm_find_free(vs, map)))
        return -ENOMEM;
    if ((err = r->frames ? map_frames(r, vs, addr, map) : map_copy(r, vs, addr, map)) < 0)
        return err;
    vm_space_get(vs);
    r->win_vm = vs;
    r->win_addr = addr;
    r->win_map = map;
    r->pkt.arg[0] = addr;
    r->pkt.arg[1] = r->win_len;
    return 0;
}

static struct ipc_req *pop(struct uscheme *us)
{
    struct ipc_req *r = us->queue;

    us->queue = r->next;
    if (!us->queue)
        us->queue_tail = NULL;
    return r;
}

static void push_front(struct uscheme *us, struct ipc_req *r)
{
    r->next = us->queue;
    us->queue = r;
    if (!us->queue_tail)
        us->queue_tail = r;
}

/* Hand queued requests to the daemon: how many packets went to ubuf, or -EFAULT. */
static long deliver(struct uscheme *us, uintptr_t ubuf, size_t max)
{
    size_t n = 0;

    while (n < max && us->queue) {
        struct ipc_req *r = pop(us);
        int err = window_map(r);
        if (err) {
            ipc_complete(r, err);
            continue;
        }
        if (copy_to_user(ubuf + n * PACKET, &r->pkt, PACKET) < 0) {
            ipc_window_unmap(r);
            push_front(us, r);
            return n ? (long)n : -EFAULT;
        }
        r->state = REQ_PENDING;
        r->next = us->pending;
        us->pending = r;
        n++;
    }
    return (long)n;
}

static long server_read(struct file *f, uintptr_t ubuf, size_t len)
{
    struct uscheme *us = f->priv;
    size_t max = len / PACKET;
    long n = 0;

    if (max == 0)
        return -EINVAL;
    while (n == 0) {
        while (!us->queue) {
            if (f->flags & O_NONBLOCK)
                return -EAGAIN;
            int err = sched_sleep(us, 0, true);
            if (err)
                return err;
        }
        if ((n = deliver(us, ubuf, max)) < 0)
            return n;
    }
    return n * (long)PACKET;
}

static struct ipc_req *take_pending(struct uscheme *us, uint64_t id)
{
    for (struct ipc_req **pp = &us->pending; *pp; pp = &(*pp)->next) {
        struct ipc_req *r = *pp;
        if (r->pkt.id == id) {
            *pp = r->next;
            return r;
        }
    }
    return NULL;
}

/* An OPEN reply that opts the file into the kernel's cache: the file's
 * struct anvil_stat is at the window's start (fcache.h). */
static void copy_open_stat(struct ipc_req *r, uint32_t reply_flags, int64_t result)
{
    size_t n = sizeof(struct anvil_stat);

    if (r->pkt.op != ANVIL_OP_OPEN || result < 0 || !(reply_flags & ANVIL_REPLY_STAT) ||
        !r->win_vm || r->win_len < n || r->win_vm != proc_current()->vm)
        return;
    r->reply_stat = r->frames || copy_from_user(r->buf, r->win_addr, n) == 0;
}

/* Bring a data-returning op's bytes back from the window (daemon context). */
static int64_t copy_back(struct ipc_req *r, int64_t result, uint32_t reply_flags)
{
    size_t n;

    if (result < -ERRNO_MAX)
        return -EIO;   /* not an errno: a hostile or broken daemon */
    copy_open_stat(r, reply_flags, result);
    if (result < 0 || r->copy == COPY_NONE)
        return result;
    if ((uint64_t)result > r->win_len && r->copy == COPY_RESULT)
        return -EIO;   /* the daemon claims more than the window holds */
    if (!r->win_vm)
        return r->win_len ? -EIO : result;
    if (r->frames)
        return result;   /* the daemon wrote into buf's own frames */
    n = r->copy == COPY_ALL ? r->win_len : (size_t)result;
    if (r->win_vm != proc_current()->vm || copy_from_user(r->buf, r->win_addr, n) < 0)
        return -EFAULT;
    return result;
}

static long server_write(struct file *f, uintptr_t ubuf, size_t len)
{
    struct uscheme *us = f->priv;
    struct anvil_packet p;

    if (len % PACKET)
        return -EINVAL;
    for (size_t off = 0; off < len; off += PACKET) {
        if (copy_from_user(&p, ubuf + off, PACKET) < 0)
            return off ? (long)off : -EFAULT;
        struct ipc_req *r = take_pending(us, p.id);
        if (r)   /* else its caller died and the close came first, or a bad id: ignore */
            ipc_complete(r, copy_back(r, p.result, p.flags));
    }
    return (long)len;
}

static unsigned server_poll(struct file *f)
{
    struct uscheme *us = f->priv;

    return POLLOUT | (us->queue ? POLLIN : 0);
}

static void fail_all(struct ipc_req *list)
{
    while (list) {
        struct ipc_req *r = list;
        list = r->next;
        ipc_complete(r, -ENODEV);
    }
}

/* The daemon's handle is gone (it exited, crashed or closed it). */
static void server_release(struct file *f)
{
    struct uscheme *us = f->priv;
    struct ipc_req *q = us->queue, *p = us->pending;

    us->dead = true;
    us->queue = us->queue_tail = us->pending = NULL;
    fcache_drop(us);
    scheme_unregister(&us->scheme);
    fail_all(q);
    fail_all(p);
    sched_wakeup(us);
    file_poll_notify();
    uscheme_put(us);
}

static int server_stat(struct file *f, struct kstat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0600;
    st->st_ino = (uint64_t)(uintptr_t)f->priv >> 4;
    st->st_nlink = 1;
    return 0;
}

static const struct file_ops server_ops = {
    .read = server_read, .write = server_write, .poll = server_poll,
    .release = server_release, .stat = server_stat,
};

/* NAME.N for a process that provides the service name NAME: the instances
 * a service starts (fatd -m serves each mount as fs.vfat.N). */
static bool instance_of_provided(const struct caps *c, const char *name)
{
    char parent[SCHEME_NAME_MAX + 1];
    const char *dot = NULL;

    for (const char *c = name; *c; c++)
        if (*c == '.')
            dot = c;
    if (!dot || dot == name || !dot[1])
        return false;
    strlcpy(parent, name, (size_t)(dot - name) + 1);
    return scheme_reserved(parent) && caps_provides(c, parent);
}

int uscheme_register(const char *name, unsigned flags, struct file **out)
{
    struct proc *p = proc_current();
    struct uscheme *us;

    if (!(flags & O_CREAT) || !scheme_name_valid(name, strlen(name)))
        return -EINVAL;
    if (!caps_allows(&p->caps, name) && !instance_of_provided(&p->caps, name))
        return -EACCES;
    if (scheme_reserved(name) && !caps_provides(&p->caps, name))
        return -EACCES;   /* a service's name, even while it restarts */
    if (scheme_find(name))
        return -EEXIST;
    if (!(us = kzalloc(sizeof(*us))))
        return -ENOMEM;
    if (!(*out = file_new(&server_ops, O_RDWR | (flags & O_NONBLOCK), us))) {
        kfree(us);
        return -ENOMEM;
    }
    strlcpy(us->scheme.name, name, sizeof(us->scheme.name));
    us->scheme.ops = &uscheme_ops;
    us->scheme.priv = us;
    us->scheme.user = true;
    us->scheme.owner_pid = p->pid;
    us->refs = 1;
    scheme_register(&us->scheme);
    return 0;
}
