/* kernel/syscall/fs.c: file syscalls. Paths are copied in and routed to a
 * scheme (scheme/route.c); data moves through the file's ops. */
#include "fs/fdtable.h"
#include "fs/lock.h"
#include "ipc/uscheme.h"
#include "scheme/dispatch.h"
#include "scheme/mount.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "net/socket.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "syscall/syscall.h"

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000
#define AT_NO_AUTOMOUNT 0x800
#define AT_REMOVEDIR 0x200
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
#define IOV_MAX 1024
#define R_OK 4
#define W_OK 2
#define X_OK 1

struct iovec_k {
    uint64_t base, len;
};

/* The canonical path of the directory open as fd. */
static int fd_dirpath(int fd, char *out)
{
    struct file *d = fd_get(proc_current(), fd);
    int err;

    if (!d)
        return -EBADF;
    err = d->ops->dirpath ? d->ops->dirpath(d, out, PATH_MAX_LEN) : -ENOTDIR;
    file_put(d);
    return err;
}

/* Copy a user path and route it, relative to dirfd (AT_FDCWD: the working
 * directory). */
static int user_path(int dirfd, uintptr_t upath, struct scheme_path *out)
{
    char buf[PATH_MAX_LEN], base[PATH_MAX_LEN];
    long n = strncpy_from_user(buf, upath, sizeof(buf));
    int err;

    if (n < 0)
        return (int)n;
    if (buf[0] == '/' || dirfd == AT_FDCWD)
        return scheme_route(proc_current()->cwd, buf, out);
    if ((err = fd_dirpath(dirfd, base)) < 0)
        return err;
    return scheme_route(base, buf, out);
}

int syscall_user_path(int dirfd, uintptr_t upath, struct scheme_path *out)
{
    return user_path(dirfd, upath, out);
}

static long do_open(int dirfd, uintptr_t upath, unsigned flags, unsigned mode)
{
    struct scheme_path sp;
    struct file *f;
    int err = user_path(dirfd, upath, &sp), fd;

    if (err)
        return err;
    mode &= ~proc_current()->umask & 07777;
    if (sp.reg)
        err = uscheme_register(sp.rest, flags & ~O_CLOEXEC, &f);
    else
        err = scheme_open_path(&sp, flags & ~O_CLOEXEC, mode, &f);
    if (err < 0)
        return err;
    fd = fd_install(proc_current(), f, 0, flags & O_CLOEXEC);
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_open(SYSCALL_ARGS)
{
    return do_open(AT_FDCWD, a0, (unsigned)a1, (unsigned)a2);
}

long sys_openat(SYSCALL_ARGS)
{
    return do_open((int)a0, a1, (unsigned)a2, (unsigned)a3);
}

long sys_close(SYSCALL_ARGS)
{
    return fd_close(proc_current(), (int)a0);
}

typedef long (*io_fn)(struct file *f, uintptr_t buf, size_t len);

static long do_io(int fd, uintptr_t buf, size_t len, bool write)
{
    struct file *f = fd_get(proc_current(), fd);
    unsigned acc;
    long ret;

    if (!f)
        return -EBADF;
    acc = f->flags & O_ACCMODE;
    io_fn fn = write ? f->ops->write : f->ops->read;
    if ((write ? acc == O_RDONLY : acc == O_WRONLY) || !fn)
        ret = -EBADF;
    else if (len > (1ul << 31))
        ret = -EINVAL;
    else if (!user_range_ok(buf, len))
        ret = -EFAULT;   /* at once: never after blocking for data */
    else if (!write || (ret = rlimit_check_fsize(f, f->offset, &len)) == 0)
        ret = fn(f, buf, len);   /* a write is clamped under RLIMIT_FSIZE first */
    file_put(f);
    return ret;
}

long sys_read(SYSCALL_ARGS)
{
    return do_io((int)a0, a1, a2, false);
}

long sys_write(SYSCALL_ARGS)
{
    return do_io((int)a0, a1, a2, true);
}

static long do_iov(int fd, uintptr_t uiov, int cnt, bool write)
{
    struct iovec_k v;
    long total = 0;

    if (cnt < 0 || cnt > IOV_MAX)
        return -EINVAL;
    struct file *f = fd_get(proc_current(), fd);
    if (socket_is(f)) {
        long r = syscall_sock_iov(f, uiov, cnt, write);
        file_put(f);
        return r;
    }
    if (f)
        file_put(f);
    for (int i = 0; i < cnt; i++) {   /* every buffer is checked before any I/O */
        if (copy_from_user(&v, uiov + (size_t)i * sizeof(v), sizeof(v)) < 0 ||
            !user_range_ok(v.base, v.len))
            return -EFAULT;
    }
    for (int i = 0; i < cnt; i++) {
        if (copy_from_user(&v, uiov + (size_t)i * sizeof(v), sizeof(v)) < 0)
            return total ? total : -EFAULT;
        if (v.len == 0)
            continue;
        long r = do_io(fd, v.base, v.len, write);
        if (r < 0)
            return total ? total : r;
        total += r;
        if ((uint64_t)r < v.len)
            break;
    }
    return total;
}

long sys_readv(SYSCALL_ARGS)
{
    return do_iov((int)a0, a1, (int)a2, false);
}

long sys_writev(SYSCALL_ARGS)
{
    return do_iov((int)a0, a1, (int)a2, true);
}

long sys_pread64(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    long ret;

    if (!f)
        return -EBADF;
    if ((int64_t)a3 < 0)
        ret = -EINVAL;
    else if (!f->ops->pread)
        ret = -ESPIPE;
    else
        ret = f->ops->pread(f, a1, a2, a3);
    file_put(f);
    return ret;
}

long sys_pwrite64(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    long ret;

    if (!f)
        return -EBADF;
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        ret = -EBADF;
    else if ((int64_t)a3 < 0)
        ret = -EINVAL;
    else
        ret = f->ops->pwrite ? f->ops->pwrite(f, a1, a2, a3) : -ESPIPE;
    file_put(f);
    return ret;
}

static int file_stat(struct file *f, struct kstat *st)
{
    return f->ops->stat ? f->ops->stat(f, st) : -EINVAL;
}

long sys_fstat(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    struct kstat st;
    int err;

    if (!f)
        return -EBADF;
    err = file_stat(f, &st);
    file_put(f);
    if (err)
        return err;
    return copy_to_user(a1, &st, sizeof(st));
}

static long do_stat(int dirfd, uintptr_t upath, uintptr_t ust, int flags)
{
    struct scheme_path path;
    struct kstat st;
    int err;

    if (flags & AT_EMPTY_PATH) {
        char c;
        if (copy_from_user(&c, upath, 1) < 0)
            return -EFAULT;
        if (c == '\0')
            return sys_fstat((uint64_t)dirfd, ust, 0, 0, 0, 0);
    }
    if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT))
        return -EINVAL;
    if ((err = user_path(dirfd, upath, &path)) < 0)
        return err;
    if (socket_path_stat(&path, &st))
        return copy_to_user(ust, &st, sizeof(st));
    err = scheme_stat_path_flags(&path, flags & AT_SYMLINK_NOFOLLOW ? ANVIL_PATH_NOFOLLOW : 0, &st);
    if (err < 0)
        return err;
    return copy_to_user(ust, &st, sizeof(st));
}

long sys_stat(SYSCALL_ARGS)
{
    return do_stat(AT_FDCWD, a0, a1, 0);
}

long sys_lstat(SYSCALL_ARGS)
{
    return do_stat(AT_FDCWD, a0, a1, AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(SYSCALL_ARGS)
{
    return do_stat((int)a0, a1, a2, (int)a3);
}

long sys_lseek(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    int64_t off = (int64_t)a1, base;
    struct kstat st;
    long ret;

    if (!f)
        return -EBADF;
    if (!f->ops->seekable) {
        file_put(f);
        return -ESPIPE;
    }
    switch ((int)a2) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->offset; break;
    case SEEK_END: base = file_stat(f, &st) == 0 ? st.st_size : 0; break;
    default: base = -1; break;
    }
    if (base < 0 || (off < 0 && -off > base))
        ret = -EINVAL;
    else
        ret = (long)(f->offset = (uint64_t)(base + off));
    file_put(f);
    return ret;
}

long sys_getdents64(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    long ret;

    if (!f)
        return -EBADF;
    ret = f->ops->getdents ? f->ops->getdents(f, a1, a2) : -ENOTDIR;
    file_put(f);
    return ret;
}

static long do_dup(int oldfd, int newfd, bool exact, bool cloexec, int min)
{
    struct proc *p = proc_current();
    struct file *f = fd_get(p, oldfd);
    int r;

    if (!f)
        return -EBADF;
    r = exact ? fd_install_at(p, f, newfd, cloexec) : fd_install(p, f, min, cloexec);
    if (r < 0)
        file_put(f);
    return r;
}

long sys_dup(SYSCALL_ARGS)
{
    return do_dup((int)a0, 0, false, false, 0);
}

long sys_dup2(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);

    if (!f)
        return -EBADF;
    file_put(f);
    if ((int)a0 == (int)a1)
        return (int)a1;
    return do_dup((int)a0, (int)a1, true, false, 0);
}

long sys_dup3(SYSCALL_ARGS)
{
    if ((int)a0 == (int)a1 || (a2 & ~(uint64_t)O_CLOEXEC))
        return -EINVAL;
    return do_dup((int)a0, (int)a1, true, a2 & O_CLOEXEC, 0);
}

long sys_fcntl(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    int fd = (int)a0;
    struct file *f = fd_get(p, fd);
    long ret = 0;

    if (!f)
        return -EBADF;
    switch ((int)a1) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if (a2 >= (uint64_t)rlimit_nofile(p))
            ret = -EINVAL;   /* also a negative argument, as Linux reads it unsigned */
        else
            ret = do_dup(fd, 0, false, (int)a1 == F_DUPFD_CLOEXEC, (int)a2);
        break;
    case F_GETFD: ret = p->fds.cloexec[fd] ? FD_CLOEXEC : 0; break;
    case F_SETFD: p->fds.cloexec[fd] = a2 & FD_CLOEXEC; break;
    case F_GETFL: ret = f->flags; break;
    case F_SETFL: f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (a2 & (O_APPEND | O_NONBLOCK)); break;
    default:
        if (lock_is_fcntl_cmd((int)a1))
            ret = lock_fcntl(f, (int)a1, a2);
        else
            ret = f->ops->fcntl ? f->ops->fcntl(f, (int)a1, a2) : -EINVAL;
        break;
    }
    file_put(f);
    return ret;
}

long sys_ioctl(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    long ret;

    if (!f)
        return -EBADF;
    /* The request is an unsigned int (Linux ksys_ioctl): musl's ioctl() passes
     * an int, so _IOR requests arrive sign-extended. */
    ret = f->ops->ioctl ? f->ops->ioctl(f, (uint32_t)a1, a2) : -ENOTTY;
    file_put(f);
    return ret;
}

static long do_access(int dirfd, uintptr_t upath, int mode)
{
    struct scheme_path path;
    struct kstat st;
    int err;

    if (mode & ~(R_OK | W_OK | X_OK))
        return -EINVAL;
    if ((err = user_path(dirfd, upath, &path)) < 0 || (err = scheme_stat_path(&path, &st)) < 0)
        return err;
    if ((mode & W_OK) && (st.st_mode & S_IFMT) != S_IFCHR && strcmp(path.scheme, "initfs") == 0)
        return -EROFS;
    if ((mode & X_OK) && !(st.st_mode & 0111))
        return -EACCES;
    return 0;
}

long sys_access(SYSCALL_ARGS)
{
    return do_access(AT_FDCWD, a0, (int)a1);
}

long sys_faccessat(SYSCALL_ARGS)
{
    return do_access((int)a0, a1, (int)a2);
}

long sys_faccessat2(SYSCALL_ARGS)
{
    return do_access((int)a0, a1, (int)a2);
}

long sys_getcwd(SYSCALL_ARGS)
{
    const char *cwd = proc_current()->cwd;
    size_t n = strlen(cwd) + 1;

    if (a1 < n)
        return -ERANGE;
    if (copy_to_user(a0, cwd, n) < 0)
        return -EFAULT;
    return (long)n;
}

long sys_chdir(SYSCALL_ARGS)
{
    struct scheme_path path;
    char canon[PATH_MAX_LEN];
    struct kstat st;
    int err;

    if ((err = user_path(AT_FDCWD, a0, &path)) < 0 || (err = scheme_stat_path(&path, &st)) < 0)
        return err;
    if ((st.st_mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    if ((err = scheme_path_format(&path, canon, sizeof(canon))) < 0)
        return err;
    strlcpy(proc_current()->cwd, canon, PROC_PATH_MAX);
    return 0;
}

long sys_fchdir(SYSCALL_ARGS)
{
    char path[PATH_MAX_LEN];
    int err = fd_dirpath((int)a0, path);

    if (err)
        return err;
    strlcpy(proc_current()->cwd, path, PROC_PATH_MAX);
    return 0;
}

static long do_mkdir(int dirfd, uintptr_t upath, unsigned mode)
{
    struct scheme_path path;
    int err = user_path(dirfd, upath, &path);

    return err ? err : scheme_mkdir_path(&path, mode & ~proc_current()->umask & 07777);
}

static long do_unlink(int dirfd, uintptr_t upath, int flags)
{
    struct scheme_path path;
    int err;

    if (flags & ~AT_REMOVEDIR)
        return -EINVAL;
    if ((err = user_path(dirfd, upath, &path)) < 0)
        return err;
    if (flags & AT_REMOVEDIR)
        return scheme_rmdir_path(&path);
    return socket_path_unlink(&path) ? 0 : scheme_unlink_path(&path);
}

static long do_rename(int olddirfd, uintptr_t uold, int newdirfd, uintptr_t unew)
{
    struct scheme_path from, to;
    int err;

    if ((err = user_path(olddirfd, uold, &from)) < 0 || (err = user_path(newdirfd, unew, &to)) < 0)
        return err;
    return scheme_rename_path(&from, &to);
}

long sys_mkdir(SYSCALL_ARGS) { return do_mkdir(AT_FDCWD, a0, (unsigned)a1); }
long sys_mkdirat(SYSCALL_ARGS) { return do_mkdir((int)a0, a1, (unsigned)a2); }
long sys_unlink(SYSCALL_ARGS) { return do_unlink(AT_FDCWD, a0, 0); }
long sys_rmdir(SYSCALL_ARGS) { return do_unlink(AT_FDCWD, a0, AT_REMOVEDIR); }
long sys_unlinkat(SYSCALL_ARGS) { return do_unlink((int)a0, a1, (int)a2); }
long sys_rename(SYSCALL_ARGS) { return do_rename(AT_FDCWD, a0, AT_FDCWD, a1); }
long sys_renameat(SYSCALL_ARGS) { return do_rename((int)a0, a1, (int)a2, a3); }
long sys_renameat2(SYSCALL_ARGS) { return a4 ? -EINVAL : do_rename((int)a0, a1, (int)a2, a3); }

long sys_fsync(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    long ret;

    if (!f)
        return -EBADF;
    ret = f->ops->fsync ? f->ops->fsync(f, a1 == SYSCALL_FSYNC_DATA) : 0;
    file_put(f);
    return ret;
}

/* The root file system's daemon caches writes (fatd: write-back sectors), so
 * sync asks it to flush by an fsync on its root; the kernel holds no dirty
 * data of its own. Like Linux's, it always succeeds. */
long sys_sync(SYSCALL_ARGS)
{
    struct scheme_path sp;
    struct file *f;

    mount_sync_all();
    if (scheme_route("/", "/", &sp) < 0 || scheme_open_path(&sp, O_RDONLY | O_DIRECTORY, 0, &f) < 0)
        return 0;
    if (f->ops->fsync)
        f->ops->fsync(f, false);
    file_put(f);
    return 0;
}

/* A daemon flushes its whole volume on any fsync: that is syncfs. */
long sys_syncfs(SYSCALL_ARGS)
{
    return sys_fsync(a0, 0, 0, 0, 0, 0);
}

long sys_ftruncate(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    long ret;

    if (!f)
        return -EBADF;
    if ((int64_t)a1 < 0)
        ret = -EINVAL;
    else if ((f->flags & O_ACCMODE) == O_RDONLY)
        ret = -EBADF;
    else
        ret = f->ops->truncate ? f->ops->truncate(f, a1) : -EINVAL;
    file_put(f);
    return ret;
}
