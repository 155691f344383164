/* kernel/ipc/client.c: the callers' end of a user scheme: the scheme's ops
 * (open, unlink, mkdir, rmdir, rename) and the file ops of a handle it
 * opened. Each becomes one request (reads and writes bigger than a window
 * are split: writes into several requests, reads return at most one window). */
#include "fs/dirent.h"
#include "fs/filemap.h"
#include "ipc/request.h"
#include "ipc/uscheme.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "scheme/route.h"

#define ADIRENT_HEADER 20       /* struct anvil_dirent without its name */
#define IOC_SIZE(cmd) (((cmd) >> 16) & 0x3fff)   /* asm-generic/ioctl.h */
#define WINDOW_MAX ((size_t)ANVIL_SCHEME_WINDOW_MAX)
#define NSEC_MAX 999999999u
#define HANDLE_MAX ((long)1 << 62)    /* an OPEN reply above this is not a handle */
#define WRITE_BEHIND_MAX 16           /* unanswered writes per file: 1 MiB of windows */
#define O_SYNC_ 04010000
#define O_DSYNC_ 010000

#define O_LARGEFILE_ 0100000
/* Open flags that change nothing about what is opened. */
#define O_NEUTRAL (O_CLOEXEC | O_LARGEFILE_ | O_NOCTTY)

/* One open handle of a user scheme. */
struct uhandle {
    struct uscheme *us;         /* a reference */
    uint64_t handle;            /* the daemon's number */
    struct fc_inode *inode;     /* the cached file (a reference), NULL: not cached */
    char *open_path;            /* as sent in the OPEN, when the handle may idle (fcache.h) */
    unsigned open_flags;        /* its flags without O_NEUTRAL */
    uint64_t open_gen;          /* the cache's generation when the OPEN went out: the path
                                   still names this file at close only if it is unchanged */
    char path[PATH_MAX_LEN];    /* canonical "name:/path", for openat and fchdir */
};

static const struct file_ops client_ops;

/* A daemon's answer to an op that succeeds with 0: anything positive is 0
 * (negative results are errnos already, server.c). */
static int status(long r)
{
    return r > 0 ? 0 : (int)r;
}

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

/* A request (not sent yet) whose window of win_len bytes (at least len)
 * carries bytes [data, data + len) in; NULL: no memory. */
static struct ipc_req *req_with(struct uscheme *us, uint32_t op, const void *data, size_t len,
                                size_t win_len, uint32_t flags, uint64_t arg2)
{
    struct ipc_req *r = ipc_req_new(us, op, 0, win_len > len ? win_len : len);

    if (!r)
        return NULL;
    memcpy(r->buf, data, len);
    r->in_len = len;
    r->pkt.flags = flags;
    r->pkt.arg[2] = arg2;
    return r;
}

/* A request whose window carries bytes [data, data + len) in; its result. */
static long call_with(struct uscheme *us, uint32_t op, const void *data, size_t len,
                      uint32_t flags, uint64_t arg2)
{
    struct ipc_req *r = req_with(us, op, data, len, len, flags, arg2);
    long ret;

    if (!r)
        return -ENOMEM;
    ret = ipc_call(r);
    ipc_req_put(r);
    return ret;
}

/* One READ request: the bytes go to kbuf (kernel memory) when it is not
 * NULL, else to ubuf in the caller. Bytes read (at most one window) or -errno. */
static long read_once(struct file *f, void *kbuf, uintptr_t ubuf, size_t len, uint64_t off)
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
    ret = ipc_call(r);   /* a result above the window was made EIO at the reply */
    if (ret > 0 && kbuf)
        memcpy(kbuf, r->buf, (size_t)ret);
    else if (ret > 0 && copy_to_user(ubuf, r->buf, (size_t)ret) < 0)
        ret = -EFAULT;
    ipc_req_put(r);
    return ret;
}

/* A handle's request whose window brings out_len bytes back. */
static long call_handle_out(struct uhandle *h, uint32_t op, void *out, size_t out_len)
{
    struct ipc_req *r = ipc_req_new(h->us, op, h->handle, out_len);
    long ret;

    if (!r)
        return -ENOMEM;
    r->copy = COPY_ALL;
    ret = ipc_call(r);
    if (ret >= 0)
        memcpy(out, r->buf, out_len);
    ipc_req_put(r);
    return ret;
}

/* Bring the cached inode up to date with the daemon's stat: false if it cannot be. */
static bool inode_ready(struct uhandle *h)
{
    struct anvil_stat as;

    if (h->us->dead)
        return false;
    if (fcache_inode_current(h->inode))
        return true;
    if (call_handle_out(h, ANVIL_OP_FSTAT, &as, sizeof(as)) < 0)
        return false;
    fcache_inode_refresh(h->inode, &as);
    return fcache_inode_current(h->inode);
}

/* A cache miss at off: one window-sized READ from the page holding it, kept
 * in the cache; then up to len bytes from off copied out of it. */
static long read_miss(struct file *f, void *kbuf, uintptr_t ubuf, size_t len, uint64_t off)
{
    struct uhandle *h = f->priv;
    uint64_t start = off & ~(uint64_t)(VM_PAGE_SIZE - 1);
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_READ, h->handle, WINDOW_MAX);
    uint64_t changes = fcache_changes(h->inode);
    long ret;

    if (!r)
        return -ENOMEM;
    r->copy = COPY_RESULT;
    r->pkt.arg[2] = start;
    ret = ipc_call(r);
    if (ret >= 0)
        fcache_fill(h->inode, start, r->buf, r->frames, (size_t)ret, WINDOW_MAX, changes);
    if (ret > 0) {
        size_t skip = (size_t)(off - start);
        ret = (size_t)ret > skip ? (long)min_size(len, (size_t)ret - skip) : 0;
        if (ret > 0 && kbuf)
            memcpy(kbuf, r->buf + skip, (size_t)ret);
        else if (ret > 0 && copy_to_user(ubuf, r->buf + skip, (size_t)ret) < 0)
            ret = -EFAULT;
    }
    ipc_req_put(r);
    return ret;
}

/* A read through the cache: hits are copied, each miss costs one READ. */
static long cached_read(struct file *f, void *kbuf, uintptr_t ubuf, size_t len, uint64_t off)
{
    struct uhandle *h = f->priv;
    size_t done = 0;

    while (done < len) {
        uint64_t miss = 0;
        void *k = kbuf ? (uint8_t *)kbuf + done : NULL;
        long r = fcache_read(h->inode, k, ubuf + done, len - done, off + done, &miss);
        if (r == -EAGAIN)
            r = read_miss(f, k, ubuf + done, len - done, off + done);
        if (r <= 0)
            return done ? (long)done : r;
        done += (size_t)r;
    }
    return (long)done;
}

static long any_read(struct file *f, void *kbuf, uintptr_t ubuf, size_t len, uint64_t off)
{
    struct uhandle *h = f->priv;

    if (len && h->inode && inode_ready(h))
        return cached_read(f, kbuf, ubuf, len, off);
    return read_once(f, kbuf, ubuf, len, off);
}

static long c_pread(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    return any_read(f, NULL, ubuf, len, off);
}

static long c_read(struct file *f, uintptr_t ubuf, size_t len)
{
    long r = c_pread(f, ubuf, len, f->offset);

    if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

/* What a write that the daemon took does to the cache: a cached file's pages
 * follow it; an O_APPEND write lands where the daemon says, so the file is
 * re-read; a write through an uncached handle may touch any cached file. */
static void write_done(struct file *f, const struct ipc_req *r, size_t n, uint64_t off)
{
    struct uhandle *h = f->priv;

    if (!h->inode)
        fcache_invalidate(h->us);
    else if (f->flags & O_APPEND)
        fcache_inode_stale(h->inode);
    else
        fcache_wrote(h->inode, off, r->buf, r->frames, n);
}

/* A WRITE of n bytes (at kbuf in the kernel, else the caller's at ubuf) to
 * offset off, not sent yet: the request, or NULL with *err set. */
static struct ipc_req *write_req(struct uhandle *h, const void *kbuf, uintptr_t ubuf, size_t n,
                                 uint64_t off, long *err)
{
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_WRITE, h->handle, n);

    if (!r) {
        *err = -ENOMEM;
        return NULL;
    }
    if (kbuf)
        memcpy(r->buf, kbuf, n);
    else if (copy_from_user(r->buf, ubuf, n) < 0) {
        ipc_req_put(r);
        *err = -EFAULT;
        return NULL;
    }
    r->in_len = n;
    r->pkt.arg[2] = off;
    return r;
}

/* One window's worth of a write. */
static long write_chunk(struct file *f, const void *kbuf, uintptr_t ubuf, size_t n, uint64_t off)
{
    long ret;
    struct ipc_req *r = write_req(f->priv, kbuf, ubuf, n, off, &ret);

    if (!r)
        return ret;
    ret = ipc_call(r);
    if (ret > (long)n)
        ret = -EIO;
    if (ret > 0)
        write_done(f, r, (size_t)ret, off);
    ipc_req_put(r);
    return ret;
}

static void write_behind_answered(struct ipc_req *r)
{
    fcache_write_answered(r->done_arg, r->pkt.result, r->in_len);
}

/* Whether writes through f may go behind: a cached file, written at the
 * kernel's offsets (not O_APPEND), not asked to be synchronous. */
static bool may_write_behind(struct file *f)
{
    struct uhandle *h = f->priv;

    return h->inode && !(f->flags & O_APPEND) && !(h->open_flags & (O_SYNC_ | O_DSYNC_)) &&
           !h->us->dead && fcache_inode_current(h->inode);
}

/* A window's worth sent without waiting for the daemon: the cache takes the
 * bytes now, the reply comes later (a failure is reported by the next write
 * or fsync). At most WRITE_BEHIND_MAX are unanswered per file. */
static long write_behind(struct file *f, uintptr_t ubuf, size_t n, uint64_t off)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r;
    long err;

    if ((err = fcache_write_error(h->inode)) || (err = fcache_write_wait(h->inode, WRITE_BEHIND_MAX - 1)))
        return err;
    if (!(r = write_req(h, NULL, ubuf, n, off, &err)))
        return err;
    fcache_wrote(h->inode, off, r->buf, r->frames, n);
    fcache_write_sent(h->inode);
    r->done = write_behind_answered;
    r->done_arg = h->inode;
    ipc_send_async(r);
    return (long)n;
}

static long c_pwrite(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    size_t done = 0;

    while (done < len) {
        size_t n = min_size(len - done, WINDOW_MAX);
        long r = may_write_behind(f) ? write_behind(f, ubuf + done, n, off + done)
                                     : write_chunk(f, NULL, ubuf + done, n, off + done);
        if (r < 0)
            return done ? (long)done : r;
        done += (size_t)r;
        if ((size_t)r < n)
            break;
    }
    return (long)done;
}

/* An O_APPEND write went to the daemon's end of the file, wherever the
 * offset was: POSIX leaves the offset at that end, so ask the daemon for it
 * (the stat also refreshes a cached inode the write made stale). */
static void offset_to_end(struct file *f, long wrote)
{
    struct uhandle *h = f->priv;
    struct anvil_stat as;

    if (call_handle_out(h, ANVIL_OP_FSTAT, &as, sizeof(as)) < 0 || as.size > INT64_MAX) {
        f->offset += (uint64_t)wrote;   /* the daemon cannot say: the best guess */
        return;
    }
    if (h->inode)
        fcache_inode_refresh(h->inode, &as);
    f->offset = as.size;
}

static long c_write(struct file *f, uintptr_t ubuf, size_t len)
{
    long r = c_pwrite(f, ubuf, len, f->offset);

    if (r > 0 && (f->flags & O_APPEND))
        offset_to_end(f, r);
    else if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

/* A request whose window carries path in and brings out_len bytes back at
 * offset 0 (copy: COPY_ALL for a struct, COPY_RESULT for a string); its result. */
static long call_query(struct uscheme *us, uint32_t op, const char *path, uint32_t flags,
                       void *out, size_t out_len, enum ipc_copy copy)
{
    size_t in = strlen(path) + 1;
    struct ipc_req *r = ipc_req_new(us, op, 0, in > out_len ? in : out_len);
    long ret;

    if (!r)
        return -ENOMEM;
    memcpy(r->buf, path, in);
    r->in_len = in;
    r->copy = copy;
    r->pkt.flags = flags;
    ret = ipc_call(r);
    if (ret >= 0 && copy == COPY_RESULT && (size_t)ret > out_len)
        ret = (long)out_len;   /* the window also held the path: truncate, as readlink does */
    if (ret >= 0)
        memcpy(out, r->buf, copy == COPY_RESULT ? (size_t)ret : out_len);
    ipc_req_put(r);
    return ret;
}

static uint32_t nsec(uint32_t n)
{
    return n > NSEC_MAX ? NSEC_MAX : n;
}

/* A daemon's struct anvil_stat as Linux's struct stat: every field is
 * checked or clamped (the daemon is not trusted). */
static void stat_from(const struct anvil_stat *as, const struct uscheme *us, struct kstat *st)
{
    int64_t size = (int64_t)as->size < 0 ? INT64_MAX : (int64_t)as->size;
    bool no_times = as->atime_sec == 0 && as->ctime_sec == 0;   /* a daemon that knows mtime only */

    memset(st, 0, sizeof(*st));
    st->st_dev = 0x100 + ((uintptr_t)us >> 6 & 0xffff);
    st->st_ino = as->ino;
    st->st_mode = as->mode;
    st->st_nlink = as->nlink ? as->nlink : 1;
    st->st_uid = as->uid;
    st->st_gid = as->gid;
    st->st_rdev = as->rdev;
    st->st_size = size;
    st->st_blksize = as->blksize ? as->blksize : 4096;
    st->st_blocks = as->blocks && (int64_t)as->blocks > 0 ? (int64_t)as->blocks
                                                          : (int64_t)(((uint64_t)size + 511) / 512);
    st->st_mtime_sec = as->mtime_sec;
    st->st_mtime_nsec = nsec(as->mtime_nsec);
    st->st_atime_sec = no_times ? as->mtime_sec : as->atime_sec;
    st->st_atime_nsec = no_times ? st->st_mtime_nsec : nsec(as->atime_nsec);
    st->st_ctime_sec = no_times ? as->mtime_sec : as->ctime_sec;
    st->st_ctime_nsec = no_times ? st->st_mtime_nsec : nsec(as->ctime_nsec);
}

static int c_stat(struct file *f, struct kstat *st)
{
    struct uhandle *h = f->priv;
    struct anvil_stat as;
    long ret;

    if (h->inode && !h->us->dead && fcache_inode_stat(h->inode, &as)) {
        stat_from(&as, h->us, st);
        return 0;
    }
    if ((ret = call_handle_out(h, ANVIL_OP_FSTAT, &as, sizeof(as))) < 0)
        return (int)ret;
    if (h->inode)
        fcache_inode_refresh(h->inode, &as);
    stat_from(&as, h->us, st);
    return 0;
}

static long c_statfs(struct file *f, struct anvil_statfs *st)
{
    return status(call_handle_out(f->priv, ANVIL_OP_FSTATFS, st, sizeof(*st)));
}

/* A truncate or attribute change the daemon took (sized: to size). */
static void size_changed(struct uhandle *h, bool sized, uint64_t size)
{
    if (!h->inode)
        fcache_invalidate(h->us);
    else if (sized)
        fcache_truncated(h->inode, size);
    else
        fcache_inode_touch(h->inode);
}

static long c_setattr(struct file *f, const struct anvil_setattr *a)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_FSETATTR, h->handle, sizeof(*a));
    long ret;

    if (!r)
        return -ENOMEM;
    memcpy(r->buf, a, sizeof(*a));
    r->in_len = sizeof(*a);
    ret = ipc_call(r);
    ipc_req_put(r);
    if (ret >= 0)
        size_changed(h, a->valid & ANVIL_ATTR_SIZE, a->size);
    return status(ret);
}

static long c_kread(struct file *f, void *buf, size_t len, uint64_t off)
{
    return any_read(f, buf, 0, len, off);
}

/* One WRITE from kernel memory, at most a window: a datagram socket's
 * message goes to the daemon whole (net/inet_dgram.c). */
static long c_kwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
    return len > WINDOW_MAX ? -EMSGSIZE : write_chunk(f, buf, 0, len, off);
}

/* MAP_PRIVATE (and read-only MAP_SHARED) get a copy read through pread; a
 * writable shared mapping would need the daemon to share its pages: ENODEV. */
static long c_mmap(struct file *f, uintptr_t addr, size_t len, unsigned prot, uint64_t off,
                   bool shared)
{
    if (shared && (prot & VM_WRITE))
        return -ENODEV;
    return filemap_private(f, addr, len, prot, off);
}

/* The daemon's records from position *pos on into linux_dirent64s at ubuf: the
 * bytes written; *pos moves past each record taken. A record whose next does
 * not move forward is malformed (a loop), as is one that overruns. */
static long convert_dirents(const uint8_t *buf, size_t n, uint64_t *pos, uintptr_t ubuf, size_t len)
{
    size_t off = 0, done = 0;

    while (off + ADIRENT_HEADER <= n) {
        const struct anvil_dirent *d = (const void *)(buf + off);
        if (d->reclen < ADIRENT_HEADER + d->namelen + 1u || off + d->reclen > n ||
            d->next <= *pos || d->next > INT64_MAX)
            break;   /* a malformed record ends the batch */
        long r = dirent_put(ubuf + done, len - done, d->ino, d->next, d->type, d->name, d->namelen);
        if (r <= 0)
            return r < 0 ? r : (long)done;
        done += (size_t)r;
        off += d->reclen;
        *pos = d->next;
    }
    return (long)done;
}

static long c_getdents(struct file *f, uintptr_t ubuf, size_t len)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r = ipc_req_new(h->us, ANVIL_OP_GETDENTS, h->handle, min_size(len, WINDOW_MAX));
    uint64_t pos = f->offset;
    long raw, ret;

    if (!r)
        return -ENOMEM;
    r->copy = COPY_RESULT;
    r->pkt.arg[2] = f->offset;
    ret = raw = ipc_call(r);
    if (raw > 0)
        ret = convert_dirents(r->buf, (size_t)raw, &pos, ubuf, len);
    ipc_req_put(r);
    if (ret < 0)
        return ret;
    if (raw > 0 && pos == f->offset)
        return -EINVAL;   /* the buffer cannot hold the next entry (or it was malformed) */
    f->offset = pos;
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

/* Writes gone behind are answered first; one that failed is the answer. */
static long c_fsync(struct file *f, bool data_only)
{
    struct uhandle *h = f->priv;
    long err;

    if (h->inode && ((err = fcache_write_wait(h->inode, 0)) || (err = fcache_write_error(h->inode))))
        return err;
    return status(call_simple(h->us, ANVIL_OP_FSYNC, h->handle, data_only ? ANVIL_FSYNC_DATA : 0, 0));
}

static long c_truncate(struct file *f, uint64_t len)
{
    struct uhandle *h = f->priv;
    long ret = call_simple(h->us, ANVIL_OP_FTRUNCATE, h->handle, 0, len);

    if (ret >= 0)
        size_changed(h, true, len);
    return status(ret);
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

/* The last close: a plain read-only handle of a cached file stays open at
 * the daemon for the next open of its path; others are closed. */
static void c_release(struct file *f)
{
    struct uhandle *h = f->priv;
    struct ipc_req *r;

    if (h->open_path && h->open_gen == h->us->fc.gen &&
        fcache_idle_put(h->us, h->open_path, h->open_flags, h->handle, h->inode)) {
        h->inode = NULL;   /* the idle handle holds it now */
    } else if ((r = ipc_req_new(h->us, ANVIL_OP_CLOSE, h->handle, 0))) {
        ipc_send_async(r);
    }
    if (h->inode)
        fcache_inode_put(h->inode);
    kfree(h->open_path);
    uscheme_put(h->us);
    kfree(h);
}

static const struct file_ops client_ops = {
    .read = c_read, .write = c_write, .pread = c_pread, .pwrite = c_pwrite, .stat = c_stat,
    .getdents = c_getdents, .ioctl = c_ioctl, .poll = c_poll, .release = c_release,
    .dirpath = c_dirpath, .fsync = c_fsync, .truncate = c_truncate, .fcntl = c_fcntl,
    .kread = c_kread, .kwrite = c_kwrite, .setattr = c_setattr, .statfs = c_statfs, .mmap = c_mmap,
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

/* Opens whose handle may serve a later open of the same path: read-only,
 * creating and truncating nothing. */
static bool may_idle(unsigned key)
{
    return key == O_RDONLY;
}

/* The OPEN request; with the daemon's ANVIL_REPLY_STAT, the cached inode in *in. */
static long open_request(struct uscheme *us, const char *path, unsigned flags, unsigned mode,
                         struct fc_inode **in)
{
    struct ipc_req *r = req_with(us, ANVIL_OP_OPEN, path, strlen(path) + 1,
                                 sizeof(struct anvil_stat), flags, mode);
    long ret;

    if (!r)
        return -ENOMEM;
    ret = ipc_call(r);
    if (ret >= 0 && ret <= HANDLE_MAX && r->reply_stat)
        *in = fcache_inode(us, (const struct anvil_stat *)r->buf);
    ipc_req_put(r);
    return ret;
}

/* A file for the daemon's handle; its inode reference moves in. */
static int handle_file(struct uscheme *us, const char *path, unsigned flags, uint64_t handle,
                       struct fc_inode *in, uint64_t gen, struct file **out)
{
    unsigned key = flags & ~(unsigned)O_NEUTRAL;
    struct uhandle *h = kzalloc(sizeof(*h));

    if (h && in && may_idle(key) && !(h->open_path = kmalloc(strlen(path) + 1))) {
        kfree(h);
        h = NULL;
    }
    if (!h || !(*out = file_new(&client_ops, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), h))) {
        if (h)
            kfree(h->open_path);
        kfree(h);
        return -ENOMEM;
    }
    h->us = us;   /* the handle keeps the caller's reference */
    h->handle = handle;
    h->inode = in;
    h->open_flags = key;
    h->open_gen = gen;
    if (h->open_path)
        memcpy(h->open_path, path, strlen(path) + 1);
    handle_path(h, us->scheme.name, path);
    return 0;
}

static int us_open(struct scheme *s, const char *path, unsigned flags, unsigned mode, struct file **out)
{
    struct uscheme *us = s->priv;
    struct fc_inode *in = NULL;
    uint64_t idle, gen = us->fc.gen;
    struct ipc_req *c;
    long ret;

    us->refs++;   /* held across the sleep: the daemon may exit before we run again */
    if (!us->dead && may_idle(flags & ~(unsigned)O_NEUTRAL) &&
        fcache_idle_take(us, path, flags & ~(unsigned)O_NEUTRAL, &idle, &in)) {
        if (handle_file(us, path, flags, idle, in, gen, out) == 0)
            return 0;
        ret = (long)idle;   /* no memory: give the handle back below */
    } else {
        ret = open_request(us, path, flags, mode, &in);
        if (ret < 0 || ret > HANDLE_MAX) {
            uscheme_put(us);
            return ret < 0 ? (int)ret : -EIO;
        }
        if (handle_file(us, path, flags, (uint64_t)ret, in, gen, out) == 0)
            return 0;
    }
    if (in)
        fcache_inode_put(in);
    if ((c = ipc_req_new(us, ANVIL_OP_CLOSE, (uint64_t)ret, 0)))
        ipc_send_async(c);
    uscheme_put(us);
    return -ENOMEM;
}

/* A path op the cache cannot follow: everything cached goes stale first
 * (before the daemon acts, so no open can pick up an idle handle meanwhile). */
static struct uscheme *changing(struct scheme *s)
{
    fcache_invalidate(s->priv);
    return s->priv;
}

static int us_unlink(struct scheme *s, const char *path)
{
    return status(call_with(changing(s), ANVIL_OP_UNLINK, path, strlen(path) + 1, 0, 0));
}

static int us_mkdir(struct scheme *s, const char *path, unsigned mode)
{
    return status(call_with(s->priv, ANVIL_OP_MKDIR, path, strlen(path) + 1, 0, mode));
}

static int us_rmdir(struct scheme *s, const char *path)
{
    return status(call_with(changing(s), ANVIL_OP_RMDIR, path, strlen(path) + 1, 0, 0));
}

/* Two NUL-terminated strings in one window: "first\0second\0". */
static int call_two(struct scheme *s, uint32_t op, const char *first, const char *second,
                    uint32_t flags)
{
    size_t a = strlen(first) + 1, b = strlen(second) + 1;
    char *both = kmalloc(a + b);
    int ret;

    if (!both)
        return -ENOMEM;
    memcpy(both, first, a);
    memcpy(both + a, second, b);
    ret = status(call_with(changing(s), op, both, a + b, flags, 0));
    kfree(both);
    return ret;
}

static int us_rename(struct scheme *s, const char *from, const char *to)
{
    return call_two(s, ANVIL_OP_RENAME, from, to, 0);   /* call_two: changing */
}

static int us_stat(struct scheme *s, const char *path, unsigned flags, struct kstat *st)
{
    struct anvil_stat as;
    long ret;

    if (!(flags & ANVIL_PATH_NOFOLLOW) && fcache_idle_stat(s->priv, path, &as)) {
        stat_from(&as, s->priv, st);
        return 0;
    }
    if ((ret = call_query(s->priv, ANVIL_OP_STAT, path, flags, &as, sizeof(as), COPY_ALL)) < 0)
        return (int)ret;
    stat_from(&as, s->priv, st);
    return 0;
}

static int us_setattr(struct scheme *s, const char *path, unsigned flags, const struct anvil_setattr *a)
{
    uint8_t buf[sizeof(*a) + PATH_MAX_LEN];
    size_t n = strlen(path) + 1;

    if (n > PATH_MAX_LEN)
        return -ENAMETOOLONG;
    memcpy(buf, a, sizeof(*a));
    memcpy(buf + sizeof(*a), path, n);
    return status(call_with(changing(s), ANVIL_OP_SETATTR, buf, sizeof(*a) + n, flags, 0));
}

static int us_symlink(struct scheme *s, const char *target, const char *path)
{
    return call_two(s, ANVIL_OP_SYMLINK, target, path, 0);
}

static long us_readlink(struct scheme *s, const char *path, char *buf, size_t size)
{
    return call_query(s->priv, ANVIL_OP_READLINK, path, 0, buf, size, COPY_RESULT);
}

static int us_link(struct scheme *s, const char *from, const char *to, unsigned flags)
{
    return call_two(s, ANVIL_OP_LINK, from, to, flags);
}

static int us_statfs(struct scheme *s, const char *path, struct anvil_statfs *st)
{
    return status(call_query(s->priv, ANVIL_OP_STATFS, path, 0, st, sizeof(*st), COPY_ALL));
}

const struct scheme_ops uscheme_ops = {
    .open = us_open, .unlink = us_unlink, .mkdir = us_mkdir, .rmdir = us_rmdir, .rename = us_rename,
    .stat = us_stat, .setattr = us_setattr, .symlink = us_symlink, .readlink = us_readlink,
    .link = us_link, .statfs = us_statfs,
};
