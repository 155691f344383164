/* kernel/syscall/fsattr.c: symbolic and hard links, and metadata by path or
 * fd: readlink, symlink, link, chmod, chown, utime*, statfs, truncate,
 * fdatasync. Changes travel as one struct anvil_setattr (the kernel turns
 * UTIME_NOW into the time and drops UTIME_OMIT and -1 owners), so a scheme
 * implements one operation for all of them. */
#include <anvil/scheme.h>

#include "fs/fdtable.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "scheme/dispatch.h"
#include "syscall/syscall.h"

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EMPTY_PATH 0x1000
#define UTIME_NOW ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)
#define NS_PER_SEC 1000000000l
#define US_PER_SEC 1000000l
#define NS_PER_US 1000l
#define OWNER_KEEP 0xffffffffu      /* chown's -1 */
#define ST_RDONLY 0x0001            /* statfs f_flags, Linux include/linux/statfs.h */
#define ST_VALID 0x0020

/* struct statfs of Linux x86_64 (include/uapi/asm-generic/statfs.h, 64-bit longs). */
struct kstatfs {
    int64_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct kstatfs) == 120, "ABI: struct statfs is 120 bytes on x86_64");

static unsigned nofollow(int flags)
{
    return (flags & AT_SYMLINK_NOFOLLOW) ? ANVIL_PATH_NOFOLLOW : 0;
}

/* A path's or (path NULL / empty with AT_EMPTY_PATH) an fd's setattr. */
static long setattr_at(int dirfd, uintptr_t upath, int flags, const struct anvil_setattr *a)
{
    struct scheme_path sp;
    struct file *f;
    char c = 1;
    long ret;
    int err;

    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if (upath && (flags & AT_EMPTY_PATH) && copy_from_user(&c, upath, 1) < 0)
        return -EFAULT;
    if (upath && c) {
        if ((err = syscall_user_path(dirfd, upath, &sp)) < 0)
            return err;
        return scheme_setattr_path(&sp, nofollow(flags), a);
    }
    if (!(f = fd_get(proc_current(), dirfd)))
        return -EBADF;
    ret = f->ops->setattr ? f->ops->setattr(f, a) : -EPERM;
    file_put(f);
    return ret;
}

/* readlink */

static long do_readlink(int dirfd, uintptr_t upath, uintptr_t ubuf, int64_t size)
{
    size_t n = size > ANVIL_SYMLINK_MAX ? ANVIL_SYMLINK_MAX : (size_t)size;
    struct scheme_path sp;
    char *buf;
    long ret;

    if (size <= 0)
        return -EINVAL;
    if ((ret = syscall_user_path(dirfd, upath, &sp)) < 0)
        return ret;
    if (!(buf = kmalloc(n)))
        return -ENOMEM;
    ret = scheme_readlink_path(&sp, buf, n);
    if (ret > 0 && copy_to_user(ubuf, buf, (size_t)ret) < 0)
        ret = -EFAULT;
    kfree(buf);
    return ret;
}

long sys_readlink(SYSCALL_ARGS)
{
    return do_readlink(AT_FDCWD, a0, a1, (int64_t)a2);
}

long sys_readlinkat(SYSCALL_ARGS)
{
    return do_readlink((int)a0, a1, a2, (int64_t)a3);
}

/* symlink, link */

static long do_symlink(uintptr_t utarget, int dirfd, uintptr_t upath)
{
    struct scheme_path sp;
    char *target = kmalloc(ANVIL_SYMLINK_MAX + 1);
    long n;

    if (!target)
        return -ENOMEM;
    n = strncpy_from_user(target, utarget, ANVIL_SYMLINK_MAX + 1);
    if (n == 0)
        n = -ENOENT;   /* an empty target */
    if (n > 0)
        n = syscall_user_path(dirfd, upath, &sp);
    if (n == 0)
        n = sp.reg ? -EINVAL : scheme_symlink_path(target, &sp);
    kfree(target);
    return n;
}

long sys_symlink(SYSCALL_ARGS)
{
    return do_symlink(a0, AT_FDCWD, a1);
}

long sys_symlinkat(SYSCALL_ARGS)
{
    return do_symlink(a0, (int)a1, a2);
}

static long do_link(int olddirfd, uintptr_t uold, int newdirfd, uintptr_t unew, int flags)
{
    struct scheme_path from, to;
    int err;

    if (flags & ~AT_SYMLINK_FOLLOW)
        return -EINVAL;   /* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH on Linux: not offered */
    if ((err = syscall_user_path(olddirfd, uold, &from)) < 0 ||
        (err = syscall_user_path(newdirfd, unew, &to)) < 0)
        return err;
    return scheme_link_path(&from, &to, (flags & AT_SYMLINK_FOLLOW) ? ANVIL_PATH_FOLLOW : 0);
}

long sys_link(SYSCALL_ARGS)
{
    return do_link(AT_FDCWD, a0, AT_FDCWD, a1, 0);
}

long sys_linkat(SYSCALL_ARGS)
{
    return do_link((int)a0, a1, (int)a2, a3, (int)a4);
}

/* chmod, chown */

static long do_chmod(int dirfd, uintptr_t upath, unsigned mode, int flags)
{
    struct anvil_setattr a = {.valid = ANVIL_ATTR_MODE, .mode = mode & 07777};

    return setattr_at(dirfd, upath, flags, &a);
}

long sys_chmod(SYSCALL_ARGS) { return do_chmod(AT_FDCWD, a0, (unsigned)a1, 0); }
long sys_fchmod(SYSCALL_ARGS) { return do_chmod((int)a0, 0, (unsigned)a1, 0); }
long sys_fchmodat(SYSCALL_ARGS) { return do_chmod((int)a0, a1, (unsigned)a2, 0); }

static long do_chown(int dirfd, uintptr_t upath, uint32_t uid, uint32_t gid, int flags)
{
    struct anvil_setattr a = {.uid = uid, .gid = gid};

    a.valid = (uid != OWNER_KEEP ? ANVIL_ATTR_UID : 0) | (gid != OWNER_KEEP ? ANVIL_ATTR_GID : 0);
    return setattr_at(dirfd, upath, flags, &a);
}

long sys_chown(SYSCALL_ARGS) { return do_chown(AT_FDCWD, a0, (uint32_t)a1, (uint32_t)a2, 0); }
long sys_fchown(SYSCALL_ARGS) { return do_chown((int)a0, 0, (uint32_t)a1, (uint32_t)a2, 0); }
long sys_lchown(SYSCALL_ARGS)
{
    return do_chown(AT_FDCWD, a0, (uint32_t)a1, (uint32_t)a2, AT_SYMLINK_NOFOLLOW);
}
long sys_fchownat(SYSCALL_ARGS)
{
    return do_chown((int)a0, a1, (uint32_t)a2, (uint32_t)a3, (int)a4);
}

/* utime, utimes, futimesat, utimensat */

/* One timespec of utimensat into a (which: ANVIL_ATTR_ATIME or _MTIME): 0 or -EINVAL. */
static int set_time(struct anvil_setattr *a, unsigned which, int64_t sec, int64_t nsec)
{
    int64_t now = clock_realtime_ns();

    if (nsec == UTIME_OMIT)
        return 0;
    if (nsec == UTIME_NOW) {
        sec = now / NS_PER_SEC;
        nsec = now % NS_PER_SEC;
    } else if (nsec < 0 || nsec >= NS_PER_SEC) {
        return -EINVAL;
    }
    a->valid |= which;
    if (which == ANVIL_ATTR_ATIME) {
        a->atime_sec = sec;
        a->atime_nsec = (uint32_t)nsec;
    } else {
        a->mtime_sec = sec;
        a->mtime_nsec = (uint32_t)nsec;
    }
    return 0;
}

/* times: NULL for now, else {atime, mtime} as (sec, nsec) pairs already read. */
static long do_utimens(int dirfd, uintptr_t upath, const int64_t *times, int flags)
{
    struct anvil_setattr a = {0};
    int err;

    if (!times) {
        err = set_time(&a, ANVIL_ATTR_ATIME, 0, UTIME_NOW);
        err = err ? err : set_time(&a, ANVIL_ATTR_MTIME, 0, UTIME_NOW);
    } else {
        err = set_time(&a, ANVIL_ATTR_ATIME, times[0], times[1]);
        err = err ? err : set_time(&a, ANVIL_ATTR_MTIME, times[2], times[3]);
    }
    return err ? err : setattr_at(dirfd, upath, flags, &a);
}

long sys_utimensat(SYSCALL_ARGS)
{
    int64_t ts[4];

    if (a2 && copy_from_user(ts, a2, sizeof(ts)) < 0)
        return -EFAULT;
    if (!a1 && (a3 & AT_SYMLINK_NOFOLLOW))
        return -EINVAL;
    return do_utimens((int)a0, a1, a2 ? ts : NULL, (int)a3);
}

/* struct timeval[2] at utv (NULL: now) for utimes and futimesat. */
static long do_utimes(int dirfd, uintptr_t upath, uintptr_t utv)
{
    int64_t tv[4];

    if (!utv)
        return do_utimens(dirfd, upath, NULL, 0);
    if (copy_from_user(tv, utv, sizeof(tv)) < 0)
        return -EFAULT;
    for (int i = 1; i < 4; i += 2) {
        if (tv[i] < 0 || tv[i] >= US_PER_SEC)
            return -EINVAL;
        tv[i] *= NS_PER_US;
    }
    return do_utimens(dirfd, upath, tv, 0);
}

long sys_utimes(SYSCALL_ARGS) { return do_utimes(AT_FDCWD, a0, a1); }
long sys_futimesat(SYSCALL_ARGS) { return do_utimes((int)a0, a1, a2); }

long sys_utime(SYSCALL_ARGS)
{
    int64_t buf[2], ts[4];

    if (!a1)
        return do_utimens(AT_FDCWD, a0, NULL, 0);
    if (copy_from_user(buf, a1, sizeof(buf)) < 0)
        return -EFAULT;
    ts[0] = buf[0];
    ts[1] = 0;
    ts[2] = buf[1];
    ts[3] = 0;
    return do_utimens(AT_FDCWD, a0, ts, 0);
}

/* statfs, fstatfs */

static long put_statfs(uintptr_t ubuf, const struct anvil_statfs *s, uint64_t dev, bool rdonly)
{
    struct kstatfs k;

    memset(&k, 0, sizeof(k));
    k.f_type = (int64_t)s->type;
    k.f_bsize = k.f_frsize = s->bsize && s->bsize <= INT64_MAX ? (int64_t)s->bsize : 4096;
    k.f_blocks = s->blocks;
    k.f_bfree = s->bfree < s->blocks ? s->bfree : s->blocks;
    k.f_bavail = s->bavail < k.f_bfree ? s->bavail : k.f_bfree;
    k.f_files = s->files;
    k.f_ffree = s->ffree < s->files ? s->ffree : s->files;
    k.f_fsid[0] = (int32_t)dev;
    k.f_fsid[1] = (int32_t)(dev >> 32);
    k.f_namelen = s->namelen && s->namelen <= INT64_MAX ? (int64_t)s->namelen : 255;
    k.f_flags = ST_VALID | (rdonly ? ST_RDONLY : 0);
    return copy_to_user(ubuf, &k, sizeof(k));
}

long sys_statfs(SYSCALL_ARGS)
{
    struct scheme_path sp;
    struct anvil_statfs s;
    struct kstat st;
    int err;

    if ((err = syscall_user_path(AT_FDCWD, a0, &sp)) < 0 ||
        (err = scheme_statfs_path(&sp, &s)) < 0 || (err = scheme_stat_path(&sp, &st)) < 0)
        return err;
    return put_statfs(a1, &s, st.st_dev, s.type == ANVIL_STATFS_KERNEL);
}

long sys_fstatfs(SYSCALL_ARGS)
{
    struct file *f = fd_get(proc_current(), (int)a0);
    struct anvil_statfs s;
    struct kstat st = {0};
    long ret = 0;

    if (!f)
        return -EBADF;
    if (!f->ops->statfs || (ret = f->ops->statfs(f, &s)) == -ENOSYS) {
        scheme_statfs_generic(&s);
        ret = 0;
    }
    if (ret == 0 && f->ops->stat)
        f->ops->stat(f, &st);
    file_put(f);
    return ret < 0 ? ret : put_statfs(a1, &s, st.st_dev, s.type == ANVIL_STATFS_KERNEL);
}

/* truncate, fdatasync */

long sys_truncate(SYSCALL_ARGS)
{
    struct anvil_setattr a = {.valid = ANVIL_ATTR_SIZE, .size = a1};
    struct scheme_path sp;
    int err;

    if ((int64_t)a1 < 0)
        return -EINVAL;
    if ((err = syscall_user_path(AT_FDCWD, a0, &sp)) < 0)
        return err;
    return scheme_setattr_path(&sp, 0, &a);
}

/* fsync, telling the file that only the data matters (ANVIL_FSYNC_DATA). */
long sys_fdatasync(SYSCALL_ARGS)
{
    return sys_fsync(a0, SYSCALL_FSYNC_DATA, 0, 0, 0, 0);
}
