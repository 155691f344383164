/* kernel/ipc/client.c: the callers' end of a user scheme: the scheme's ops
 * (open, unlink, mkdir, rmdir, rename) and the file ops of a handle it
 * opened. Each becomes one request (reads and writes bigger than a window
 * are split: writes into several requests, reads return at most one window). */
#include "ipc/request.h"
#include "ipc/uscheme.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "scheme/route.h"

#define DIRENT_HEADER 19        /* linux_dirent64: d_ino 8, d_off 8, d_reclen 2, d_type 1 */
#define ADIRENT_HEADER 12       /* struct anvil_dirent without its name */
#define NAME_MAX_LEN 255
#define IOC_SIZE(cmd) (((cmd) >> 16) & 0x3fff)   /* asm-generic/ioctl.h */
#define WINDOW_MAX ((size_t)ANVIL_SCHEME_WINDOW_MAX)

/* One open handle of a user scheme. */
struct uhandle {
    struct uscheme *us;         /* a reference */
    uint64_t handle;            /* the daemon's number */
    char path[PATH_MAX_LEN];    /* canonical "name:/path", for openat and fchdir */
};

static const struct file_ops client_ops;

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* A request with no window; its result. */
static long call_simple(struct uscheme *us, uint32_t op, uint64_t handle, uint32_t flags,
                        uint64_t arg2)
{
    struct ipc_req *r = ipc_req_new(us, op, handle, 0);
    long ret;

    if (!r)
        return -ENOMEM;
    r->pkt.flags = flags;
    r->pkt.arg[2] = arg2;
    ret = ipc_call(r);
    ipc_req_put(r);
    return ret;
}

/* A request whose window carries bytes [data, data + len) in; its result. */
static long call_with(struct uscheme *us, uint32_t op, const void *data, size_t len,
                      uint32_t flags, uint64_t arg2)
{
    struct ipc_req *r = ipc_req_new(us, op, 0, len);
    long ret;

    if (!r)
        return -ENOMEM;
    memcpy(r->buf, data, len);
    r->in_len = len;
    r->pkt.flags = flags;
    r->pkt.arg[2] = arg2;
    ret = ipc_call(r);
    ipc_req_put(r);
    return ret;
}

static long c_pread(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r;
    long ret;

    if (len == 0)
        return 0;
    if (!(r = ipc_req_new(h->us, ANVIL_OP_READ, h->handle, min_size(len, WINDOW_MAX))))
        return -ENOMEM;
    r->copy = COPY_RESULT;
    r->pkt.arg[2] = off;
    ret = ipc_call(r);
    if (ret > 0 && copy_to_user(ubuf, r->buf, (size_t)ret) < 0)
        ret = -EFAULT;
    ipc_req_put(r);
    return ret;
}

static long c_read(struct file *f, uintptr_t ubuf, size_t len)
{
    long r = c_pread(f, ubuf, len, f->offset);

    if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

/* One window's worth of a write. */
static long write_chunk(struct uhandle *h, uintptr_t ubuf, size_t n, uint64_t off)
{
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_WRITE, h->handle, n);
    long ret;

    if (!r)
        return -ENOMEM;
    if (copy_from_user(r->buf, ubuf, n) < 0) {
        ipc_req_put(r);
        return -EFAULT;
    }
    r->in_len = n;
    r->pkt.arg[2] = off;
    ret = ipc_call(r);
    ipc_req_put(r);
    return ret > (long)n ? -EIO : ret;
}

static long c_pwrite(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    size_t done = 0;

    while (done < len) {
        size_t n = min_size(len - done, WINDOW_MAX);
        long r = write_chunk(f->priv, ubuf + done, n, off + done);
        if (r < 0)
            return done ? (long)done : r;
        done += (size_t)r;
        if ((size_t)r < n)
            break;
    }
    return (long)done;
}

static long c_write(struct file *f, uintptr_t ubuf, size_t len)
{
    long r = c_pwrite(f, ubuf, len, f->offset);

    if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

static int c_stat(struct file *f, struct kstat *st)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_FSTAT, h->handle, sizeof(struct anvil_stat));
    struct anvil_stat as;
    long ret;

    if (!r)
        return -ENOMEM;
    r->copy = COPY_ALL;
    ret = ipc_call(r);
    memcpy(&as, r->buf, sizeof(as));
    ipc_req_put(r);
    if (ret < 0)
        return (int)ret;
    memset(st, 0, sizeof(*st));
    st->st_dev = 0x100 + ((uintptr_t)h->us >> 6 & 0xffff);
    st->st_ino = as.ino;
    st->st_mode = as.mode;
    st->st_nlink = as.nlink ? as.nlink : 1;
    st->st_size = (int64_t)as.size;
    st->st_blksize = as.blksize ? as.blksize : 4096;
    st->st_blocks = (int64_t)((as.size + 511) / 512);
    st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = as.mtime_sec;
    st->st_atime_nsec = st->st_mtime_nsec = st->st_ctime_nsec = as.mtime_nsec;
    return 0;
}

/* Turn one anvil_dirent into a linux_dirent64 at ubuf: its length, 0 when
 * it does not fit, or -errno. */
static long put_dirent(const struct anvil_dirent *d, uint64_t next, uintptr_t ubuf, size_t room)
{
    uint8_t rec[DIRENT_HEADER + NAME_MAX_LEN + 1 + 8];
    size_t reclen = (DIRENT_HEADER + d->namelen + 1 + 7) & ~(size_t)7;
    uint16_t rl = (uint16_t)reclen;

    if (reclen > room)
        return 0;
    memset(rec, 0, reclen);
    memcpy(rec, &d->ino, 8);
    memcpy(rec + 8, &next, 8);
    memcpy(rec + 16, &rl, 2);
    rec[18] = d->type;
    memcpy(rec + DIRENT_HEADER, d->name, d->namelen);
    return copy_to_user(ubuf, rec, reclen) < 0 ? -EFAULT : (long)reclen;
}

/* Convert the records in [buf, buf + n) to ubuf; sets *count. Bytes written or -errno. */
static long convert_dirents(const uint8_t *buf, size_t n, uint64_t first, uintptr_t ubuf, size_t len,
                            uint64_t *count)
{
    size_t off = 0, done = 0;

    *count = 0;
    while (off + ADIRENT_HEADER <= n) {
        const struct anvil_dirent *d = (const void *)(buf + off);
        if (d->reclen < ADIRENT_HEADER + d->namelen + 1u || off + d->reclen > n)
            break;   /* a malformed record ends the batch */
        long r = put_dirent(d, first + *count + 1, ubuf + done, len - done);
        if (r <= 0)
            return r < 0 ? r : (long)done;
        done += (size_t)r;
        off += d->reclen;
        (*count)++;
    }
    return (long)done;
}

static long c_getdents(struct file *f, uintptr_t ubuf, size_t len)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_GETDENTS, h->handle, min_size(len, WINDOW_MAX));
    uint64_t count = 0;
    long raw, ret;

    if (!r)
        return -ENOMEM;
    r->copy = COPY_RESULT;
    r->pkt.arg[2] = f->offset;
    ret = raw = ipc_call(r);
    if (raw > 0)
        ret = convert_dirents(r->buf, (size_t)raw, f->offset, ubuf, len, &count);
    ipc_req_put(r);
    if (ret < 0)
        return ret;
    if (raw > 0 && count == 0)
        return -EINVAL;   /* the buffer cannot hold the next entry */
    f->offset += count;
    return ret;
}

static long c_ioctl(struct file *f, unsigned long cmd, uintptr_t arg)
{
    struct uhandle *h = f->priv;
    size_t n = IOC_SIZE(cmd);
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_IOCTL, h->handle, n);
    long ret;

    if (!r)
        return -ENOMEM;
    if (n && copy_from_user(r->buf, arg, n) < 0) {
        ipc_req_put(r);
        return -EFAULT;
    }
    r->in_len = n;
    r->copy = n ? COPY_ALL : COPY_NONE;
    r->pkt.arg[2] = cmd;
    ret = ipc_call(r);
    if (ret >= 0 && n && copy_to_user(arg, r->buf, n) < 0)
        ret = -EFAULT;
    ipc_req_put(r);
    return ret;
}

static long c_fsync(struct file *f)
{
    struct uhandle *h = f->priv;

    return call_simple(h->us, ANVIL_OP_FSYNC, h->handle, 0, 0);
}

static long c_truncate(struct file *f, uint64_t len)
{
    struct uhandle *h = f->priv;

    return call_simple(h->us, ANVIL_OP_FTRUNCATE, h->handle, 0, len);
}

static long c_fcntl(struct file *f, int cmd, uint64_t arg)
{
    struct uhandle *h = f->priv;

    return call_simple(h->us, ANVIL_OP_FCNTL, h->handle, (uint32_t)cmd, arg);
}

static unsigned c_poll(struct file *f)
{
    struct uhandle *h = f->priv;

    return h->us->dead ? (POLLERR | POLLHUP) : (POLLIN | POLLOUT);
}

struct ipc_req *uscheme_poll_send(struct file *f, unsigned events)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r;

    if (f->ops != &client_ops || h->us->dead)
        return NULL;
    if (!(r = ipc_req_new(h->us, ANVIL_OP_POLL, h->handle, 0)))
        return NULL;
    r->pkt.arg[2] = events;
    ipc_send(r);
    return r;
}

bool uscheme_poll_answered(struct ipc_req *r, unsigned *revents)
{
    if (r->state != REQ_DONE)
        return false;
    if (r->pkt.result >= 0)
        *revents = (unsigned)r->pkt.result & (POLLIN | POLLOUT | POLLERR | POLLHUP);
    else
        *revents = r->pkt.result == -ENODEV ? (POLLERR | POLLHUP) : POLLERR;
    return true;
}

void uscheme_poll_cancel(struct ipc_req *r)
{
    ipc_req_put(r);
}

static int c_dirpath(struct file *f, char *buf, size_t size)
{
    struct uhandle *h = f->priv;

    if (strlen(h->path) + 1 > size)
        return -ENAMETOOLONG;
    strlcpy(buf, h->path, size);
    return 0;
}

static void c_release(struct file *f)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_CLOSE, h->handle, 0);

    if (r)
        ipc_send_async(r);
    uscheme_put(h->us);
    kfree(h);
}

static const struct file_ops client_ops = {
    .read = c_read, .write = c_write, .pread = c_pread, .pwrite = c_pwrite, .stat = c_stat,
    .getdents = c_getdents, .ioctl = c_ioctl, .poll = c_poll, .release = c_release,
    .dirpath = c_dirpath, .fsync = c_fsync, .truncate = c_truncate, .fcntl = c_fcntl,
    .seekable = true,
};

static void handle_path(struct uhandle *h, const char *name, const char *path)
{
    struct scheme_path sp = {.plain = strcmp(name, "file") == 0};

    strlcpy(sp.scheme, name, sizeof(sp.scheme));
    strlcpy(sp.rest, path, sizeof(sp.rest));
    if (scheme_path_format(&sp, h->path, sizeof(h->path)) < 0)
        strlcpy(h->path, "/", sizeof(h->path));
}

static int us_open(struct scheme *s, const char *path, unsigned flags, unsigned mode, struct file **out)
{
    struct uscheme *us = s->priv;
    struct uhandle *h;
    long ret = call_with(us, ANVIL_OP_OPEN, path, strlen(path) + 1, flags, mode);
    struct ipc_req *c;

    if (ret < 0)
        return (int)ret;
    h = kzalloc(sizeof(*h));
    if (h && (*out = file_new(&client_ops, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), h))) {
        h->us = us;
        us->refs++;
        h->handle = (uint64_t)ret;
        handle_path(h, s->name, path);
        return 0;
    }
    kfree(h);
    if ((c = ipc_req_new(us, ANVIL_OP_CLOSE, (uint64_t)ret, 0)))
        ipc_send_async(c);
    return -ENOMEM;
}

static int us_unlink(struct scheme *s, const char *path)
{
    return (int)call_with(s->priv, ANVIL_OP_UNLINK, path, strlen(path) + 1, 0, 0);
}

static int us_mkdir(struct scheme *s, const char *path, unsigned mode)
{
    return (int)call_with(s->priv, ANVIL_OP_MKDIR, path, strlen(path) + 1, 0, mode);
}

static int us_rmdir(struct scheme *s, const char *path)
{
    return (int)call_with(s->priv, ANVIL_OP_RMDIR, path, strlen(path) + 1, 0, 0);
}

static int us_rename(struct scheme *s, const char *from, const char *to)
{
    char both[PATH_MAX_LEN * 2];
    size_t a = strlen(from) + 1, b = strlen(to) + 1;

    memcpy(both, from, a);
    memcpy(both + a, to, b);
    return (int)call_with(s->priv, ANVIL_OP_RENAME, both, a + b, 0, 0);
}

const struct scheme_ops uscheme_ops = {
    .open = us_open, .unlink = us_unlink, .mkdir = us_mkdir, .rmdir = us_rmdir, .rename = us_rename,
};
