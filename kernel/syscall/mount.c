/* kernel/syscall/mount.c: mount(2) and umount2(2). The kernel mounts no file
 * system itself: mount asks the service registered as "fs.TYPE" (fatd -m for
 * vfat) to serve SOURCE; the service starts a daemon for it and answers with
 * that daemon's scheme, which the mount table (scheme/mount.h) puts at TARGET. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "scheme/dispatch.h"
#include "scheme/mount.h"
#include "syscall/syscall.h"

#define AT_FDCWD (-100)                /* as fs.c: the working directory */
#define FS_TYPE_MAX 16
#define FS_SERVICE_PREFIX "fs."        /* "fs.vfat": who mounts vfat */
#define MS_BIND 4096                   /* Linux's flags this call does not do */
#define MS_MOVE 8192
#define MS_REMOUNT 32
#define MNT_FORCE 1                    /* umount2's flags */
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8
#define UMOUNT_WAIT_NS 10000000000ULL  /* for the daemon to write its volume back */

/* The target: a folder of the root file system, not / and not a mount point. */
static int check_target(uintptr_t utarget, struct scheme_path *at)
{
    struct scheme_path probe;
    struct kstat st;
    int err;

    if ((err = syscall_user_path(AT_FDCWD, utarget, at)) < 0)
        return err;
    if (!at->plain)
        return -EINVAL;                /* name:/path is no folder of the tree */
    if (!at->rest[0])
        return -EBUSY;                 /* the root */
    if (strlen(at->rest) >= SCHEME_MOUNT_AT_MAX)
        return -ENAMETOOLONG;
    for (const char *c = at->rest; *c; c++)
        if (*c <= ' ')
            return -EINVAL;            /* /proc/mounts separates fields with spaces */
    probe = *at;
    if ((err = scheme_stat_path(&probe, &st)) < 0)
        return err;
    if ((st.st_mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    if (probe.at[0])
        return !strcmp(probe.at, at->rest) ? -EBUSY : -EINVAL;   /* on or inside a mount */
    return strcmp(probe.scheme, "file") ? -EINVAL : 0;          /* /proc, /dev/pts ... */
}

/* The caller must be able to open the source itself: mounting gives no
 * access it did not have. */
static int check_source(const char *source)
{
    struct scheme_path sp;
    struct file *f;
    int err;

    if ((err = scheme_route(proc_current()->cwd, source, &sp)) < 0 ||
        (err = scheme_open_path(&sp, O_RDWR, 0, &f)) < 0)
        return err;
    file_put(f);
    return 0;
}

/* Whether name is a user scheme served by the process service_pid or one
 * of its children: a service may not put another daemon's scheme at a
 * mount point. */
static bool started_by(const char *name, int service_pid)
{
    struct scheme *s = scheme_find(name);
    struct proc *d = s && s->user ? proc_find(s->owner_pid) : NULL;

    return d && (d->pid == service_pid || (d->parent && d->parent->pid == service_pid));
}

/* Ask fs.TYPE to serve source; the new scheme's name into name. */
static int ask_service(const char *type, const char *source, char name[SCHEME_NAME_MAX + 1])
{
    char service[SCHEME_NAME_MAX + 1];
    struct scheme *s;
    struct file *f;
    int err, service_pid;
    long n;

    strlcpy(service, FS_SERVICE_PREFIX, sizeof(service));
    strlcpy(service + strlen(service), type, sizeof(service) - strlen(service));
    if (!(s = scheme_find(service)) || !s->user || !s->ops->open)
        return -ENODEV;                /* Linux: a file system type nobody knows */
    service_pid = s->owner_pid;
    if ((err = s->ops->open(s, source, O_RDWR, 0, &f)) < 0)
        return err;
    n = f->ops->kread ? f->ops->kread(f, name, SCHEME_NAME_MAX, 0) : -EIO;
    file_put(f);
    if (n <= 0)
        return n < 0 ? (int)n : -EIO;
    name[n] = '\0';
    if (!scheme_name_valid(name, (size_t)n) || !started_by(name, service_pid))
        return -EIO;                   /* the service's answer is not a scheme it started */
    return 0;
}

long sys_mount(SYSCALL_ARGS)
{
    char source[PATH_MAX_LEN], type[FS_TYPE_MAX], name[SCHEME_NAME_MAX + 1];
    struct scheme_path at;
    long n;
    int err;

    if ((n = strncpy_from_user(source, a0, sizeof(source))) < 0)
        return n;
    if ((n = strncpy_from_user(type, a2, sizeof(type))) < 0)
        return n == -ENAMETOOLONG ? -ENODEV : n;   /* no type has so long a name */
    if (a3 & (MS_BIND | MS_MOVE | MS_REMOUNT))
        return -EINVAL;
    if ((err = check_target(a1, &at)) < 0 || (err = check_source(source)) < 0)
        return err;
    if ((err = ask_service(type, source, name)) < 0)
        return err;
    if ((err = mount_add(at.rest, name)) < 0) {
        struct scheme *s = scheme_find(name);
        struct proc *d = s ? proc_find(s->owner_pid) : NULL;
        if (d)
            signal_send_proc(d, SIGTERM, NULL);   /* nobody will reach it */
    }
    return err;
}

/* Wait (up to UMOUNT_WAIT_NS, or a signal) until the daemon that served
 * name has gone: it unregisters at exit, after writing its volume back. */
static void wait_gone(const char *name, int pid)
{
    uint64_t deadline = clock_monotonic_ns() + UMOUNT_WAIT_NS;
    struct scheme *s;

    while ((s = scheme_find(name)) && s->owner_pid == pid && clock_monotonic_ns() < deadline)
        if (sched_sleep(&scheme_changed_chan, deadline, true) == -EINTR)
            return;
}

/* Its volume is flushed, then the daemon is told to stop (SIGTERM: it
 * writes everything back, marks the volume clean and exits), and umount
 * returns when it has, as Linux's does when the volume is clean. */
long sys_umount2(SYSCALL_ARGS)
{
    char name[SCHEME_NAME_MAX + 1];
    struct scheme_path at;
    struct scheme *s;
    struct proc *d;
    int err;

    if (a1 & ~(uint64_t)(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
        return -EINVAL;
    if ((err = syscall_user_path(AT_FDCWD, a0, &at)) < 0)
        return err;
    if (!at.plain || (err = mount_remove(at.rest, name)) < 0)
        return -EINVAL;
    mount_sync(name);
    if ((s = scheme_find(name)) && (d = proc_find(s->owner_pid))) {
        signal_send_proc(d, SIGTERM, NULL);
        wait_gone(name, d->pid);
    }
    return 0;
}
