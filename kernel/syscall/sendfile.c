/* kernel/syscall/sendfile.c: sendfile(2), which BusyBox cat and cp use.
 * The bytes go through a bounce area the kernel maps in the caller's own
 * address space for the length of the call, so every file type's read and
 * write work unchanged (any readable file may be the source, not only
 * mappable ones as on Linux). The area is private memory of the caller:
 * nothing of another process passes through it. */
#include "fs/fdtable.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "syscall/syscall.h"

#define BOUNCE_SIZE (64 * 1024)
#define COUNT_MAX 0x7ffff000ul   /* Linux's MAX_RW_COUNT */

struct transfer {
    struct file *in, *out;
    bool at_offset;          /* the caller's offset, not in's own */
    uint64_t off;
    uintptr_t buf;
};

/* Write all of [buf, buf + n) to out: bytes written, or -errno if none. */
static long write_all(struct file *out, uintptr_t buf, size_t n)
{
    size_t done = 0;

    while (done < n) {
        size_t len = n - done;
        long r = rlimit_check_fsize(out, out->offset, &len);
        if (r == 0)
            r = out->ops->write(out, buf + done, len);
        if (r <= 0)
            return done ? (long)done : (r ? r : -EIO);
        done += (size_t)r;
    }
    return (long)done;
}

/* One chunk: bytes moved (0 at end of file), or -errno. */
static long move_chunk(struct transfer *t, size_t want)
{
    long n = t->at_offset ? t->in->ops->pread(t->in, t->buf, want, t->off)
                          : t->in->ops->read(t->in, t->buf, want);
    long w;

    if (n <= 0)
        return n;
    w = write_all(t->out, t->buf, (size_t)n);
    if (w > 0 && w < n && !t->at_offset && t->in->ops->pread)
        t->in->offset -= (uint64_t)(n - w);   /* what was not written is read again */
    if (w > 0)
        t->off += (uint64_t)w;
    return w;
}

static long transfer(struct transfer *t, size_t count)
{
    struct vm_space *vs = proc_current()->vm;
    size_t done = 0;
    long r = 0;

    t->buf = vm_find_free(vs, BOUNCE_SIZE);
    if (!t->buf || vm_map(vs, t->buf, BOUNCE_SIZE, VM_READ | VM_WRITE) < 0)
        return -ENOMEM;
    while (done < count) {
        size_t want = count - done < BOUNCE_SIZE ? count - done : BOUNCE_SIZE;
        if ((r = move_chunk(t, want)) <= 0)
            break;
        done += (size_t)r;
        if ((size_t)r < want)
            break;   /* a short read or write: what a caller loops on */
    }
    vm_unmap(vs, t->buf, BOUNCE_SIZE);
    return done ? (long)done : r;
}

/* sendfile(out_fd, in_fd, off_t *offset, size_t count) */
long sys_sendfile(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    struct transfer t = {.in = fd_get(p, (int)a1), .out = fd_get(p, (int)a0), .at_offset = a2 != 0};
    size_t count = a3 > COUNT_MAX ? COUNT_MAX : a3;
    int64_t off = 0;
    long ret;

    if (!t.in || !t.out)
        ret = -EBADF;
    else if ((t.in->flags & O_ACCMODE) == O_WRONLY || (t.out->flags & O_ACCMODE) == O_RDONLY ||
             !t.in->ops->read || !t.out->ops->write)
        ret = -EBADF;
    else if (t.at_offset && copy_from_user(&off, a2, sizeof(off)) < 0)
        ret = -EFAULT;
    else if (off < 0 || (t.at_offset && !t.in->ops->pread))
        ret = t.at_offset && off >= 0 ? -ESPIPE : -EINVAL;
    else if (count == 0)
        ret = 0;
    else {
        t.off = (uint64_t)off;
        ret = transfer(&t, count);
        if (t.at_offset && copy_to_user(a2, &t.off, sizeof(t.off)) < 0 && ret >= 0)
            ret = -EFAULT;
    }
    if (t.in)
        file_put(t.in);
    if (t.out)
        file_put(t.out);
    return ret;
}
