/* kernel/scheme/proc.c: the proc: scheme, which every program also reaches
 * as /proc (scheme/route.c). Its root lists one folder per process (zombies
 * too), self (the caller's own) and the system files of proc_sys.c; each
 * file is a snapshot taken at open, and a process that is gone is ENOENT. */
#include <anvil/scheme.h>

#include "fs/path.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "scheme/kschemes.h"
#include "scheme/proc_files.h"

#define SELF "self"
#define SELF_LEN 4
#define PID_DIGITS_MAX 10
#define LINK_PERMS 0777

/* The smallest pid above after, or 0 when none is: the listing goes up by
 * pid, as ps expects (the process list is newest first). */
static int pid_above(int after)
{
    int best = 0;

    for (struct proc *p = proc_first(); p; p = p->all_next)
        if (p->pid > after && (!best || p->pid < best))
            best = p->pid;
    return best;
}

static int open_root(unsigned flags, struct file **out)
{
    struct textbuf tb = {0};
    char name[PID_DIGITS_MAX + 2];

    for (int pid = pid_above(0); pid; pid = pid_above(pid)) {
        ksnprintf(name, sizeof(name), "%d", pid);
        textbuf_dirent(&tb, name, '/');
    }
    textbuf_dirent(&tb, SELF, '@');
    proc_sys_list(&tb);
    return textfile_open_dir(&tb, flags, PROC_SCHEME ":/", out);
}

/* The process a first path component names: a pid or "self". */
static struct proc *named_proc(const char *name, size_t n)
{
    char digits[PID_DIGITS_MAX + 1];
    uint64_t pid;

    if (n == SELF_LEN && strncmp(name, SELF, n) == 0)
        return proc_current();
    if (n == 0 || n > PID_DIGITS_MAX || name[0] == '0')
        return NULL;
    memcpy(digits, name, n);
    digits[n] = '\0';
    if (str_to_u64(digits, &pid) < 0 || pid > INT32_MAX)
        return NULL;
    return proc_find((int)pid);
}

static int open_sys_file(const char *name, unsigned flags, struct file **out)
{
    proc_fill_fn fill = proc_sys_find(name);
    struct textbuf tb = {0};

    if (!fill)
        return -ENOENT;
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    fill(&tb);
    return textfile_open(&tb, flags, S_IFREG, out);
}

/* path: PID or self, then the path inside that process's folder. */
static int open_in_proc(struct proc *p, const char *path, size_t n, unsigned flags,
                        unsigned mode, struct file **out)
{
    char name[PID_DIGITS_MAX + 1], canon[sizeof(PROC_SCHEME ":/") + PID_DIGITS_MAX];

    memcpy(name, path, n);   /* n <= PID_DIGITS_MAX: named_proc said so */
    name[n] = '\0';
    ksnprintf(canon, sizeof(canon), PROC_SCHEME ":/%s", name);
    return proc_pid_open(p, path[n] ? path + n + 1 : path + n, flags, mode, canon, out);
}

static int proc_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                     struct file **out)
{
    size_t n = 0;
    struct proc *p;
    int err;

    (void)s;
    while (path[n] && path[n] != '/')
        n++;
    if (!path[0])
        err = open_root(flags, out);
    else if ((p = named_proc(path, n)))
        err = open_in_proc(p, path, n, flags, mode, out);
    else
        err = path[n] && strncmp(path, "net/", 4) ? -ENOENT : open_sys_file(path, flags, out);
    return err == -ENOENT && (flags & O_CREAT) ? -EROFS : err;
}

/* The target of the link path names (self, PID/exe, PID/cwd, PID/fd/N)
 * into buf: its length; -ENOSYS when path is no link, so the caller goes on
 * as for any other file. */
static long link_target(const char *path, char *buf, size_t size)
{
    size_t n = 0;
    struct proc *p;

    while (path[n] && path[n] != '/')
        n++;
    if (!path[n] && n == SELF_LEN && strncmp(path, SELF, n) == 0)
        return (long)ksnprintf(buf, size, "%d", proc_current()->pid);
    if (!path[n] || !(p = named_proc(path, n)))
        return -ENOSYS;
    return proc_pid_link(p, path + n + 1, buf, size);
}

static long proc_readlink(struct scheme *s, const char *path, char *buf, size_t size)
{
    char target[PATH_MAX_LEN];
    long n = link_target(path, target, sizeof(target));

    (void)s;
    if (n < 0)
        return n;
    if ((size_t)n >= sizeof(target))
        n = (long)sizeof(target) - 1;   /* cut to the buffer */
    if ((size_t)n > size)
        n = (long)size;
    memcpy(buf, target, (size_t)n);
    return n;
}

/* lstat of a link; everything else is stat through open. */
static int proc_stat(struct scheme *s, const char *path, unsigned flags, struct kstat *st)
{
    char target[PATH_MAX_LEN];
    long n;

    (void)s;
    if (!(flags & ANVIL_PATH_NOFOLLOW) || (n = link_target(path, target, sizeof(target))) < 0)
        return -ENOSYS;
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFLNK | LINK_PERMS;
    st->st_nlink = 1;
    st->st_size = (size_t)n < sizeof(target) ? n : (long)sizeof(target) - 1;
    st->st_blksize = 4096;
    return 0;
}

static const struct scheme_ops proc_ops = {
    .open = proc_open, .readlink = proc_readlink, .stat = proc_stat,
};
static struct scheme proc_scheme = {.name = PROC_SCHEME, .ops = &proc_ops};

void kscheme_proc_init(void)
{
    scheme_register(&proc_scheme);
}
