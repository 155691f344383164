/* kernel/scheme/proc_pid.c: /proc/PID: stat, status, cmdline, comm and the
 * fd/ folder of one process, in the layouts of Linux's proc(5). Times are
 * clock ticks (PROCINFO_HZ); all CPU time counts as user time. */
#include "fs/fdtable.h"
#include "fs/path.h"
#include "fs/tty.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/vm.h"
#include "sched/sched.h"
#include "scheme/dispatch.h"
#include "scheme/proc_files.h"
#include "scheme/procinfo.h"

#define PRIO_BASE 20            /* stat's priority field: 20 + nice for normal tasks */
#define NO_TPGID (-1)           /* no controlling terminal */
#define RSS_UNLIMITED UINT64_MAX
#define FD_DIR "fd"
#define FD_PREFIX "fd/"
#define FD_PREFIX_LEN 3
#define EXE_LINK "exe"
#define CWD_LINK "cwd"
#define FOLLOW_DEPTH_MAX 4   /* nested follows; each costs ~1 KiB of kernel stack */
#define PTS_MAJOR 136
/* st_rdev as Linux encodes it (new_encode_dev): minor 0-7, major 8-19, minor 20-31 */
#define RDEV_MAJOR_SHIFT 8
#define RDEV_MAJOR_MASK 0xfffu
#define RDEV_MINOR_LOW 0xffu
#define RDEV_MINOR_SHIFT 12
#define RDEV_MINOR_HIGH 0xfff00u

/* Links being followed now, to stop loops (single CPU; a follow that sleeps
 * in a daemon's open only lowers others' budget for a while). */
static int follow_depth;

static void comm_of(const struct proc *p, char out[PROCINFO_COMM_MAX + 1])
{
    strlcpy(out, p->name, PROCINFO_COMM_MAX + 1);
}

/* The signals p ignores (SIG_IGN) or catches (a handler). */
static uint64_t sig_set(const struct proc *p, bool caught)
{
    uint64_t set = 0;

    for (int s = 1; s <= SIG_COUNT; s++) {
        uintptr_t h = p->actions[s].handler;
        if (caught ? h > SIG_IGN_HANDLER : h == SIG_IGN_HANDLER)
            set |= SIG_BIT(s);
    }
    return set;
}

/* A live thread of p (its mask and pending signals stand for the
 * process's), or NULL for a zombie. */
static const struct thread *some_thread(const struct proc *p)
{
    for (struct thread *t = sched_threads(); t; t = t->all_next)
        if (t->proc == p && t->state != THREAD_DEAD)
            return t;
    return NULL;
}

static uint64_t sig_blocked(const struct proc *p)
{
    const struct thread *t = some_thread(p);

    return t ? t->sigmask : 0;
}

static uint64_t sig_thread_pending(const struct proc *p)
{
    const struct thread *t = some_thread(p);

    return t ? t->sigpending : 0;
}

static void pid_stat(struct textbuf *tb, struct proc *p)
{
    char comm[PROCINFO_COMM_MAX + 1];
    bool zombie = p->state == PROC_ZOMBIE;

    comm_of(p, comm);
    textbuf_printf(tb, "%d (%s) %c %d %d %d %d %d 0 0 0 0 0 ", p->pid, comm, procinfo_state(p),
                   procinfo_ppid(p), p->pgid, p->sid, p->ctty ? (int)tty_rdev(p->ctty) : 0,
                   p->ctty ? tty_fg_pgrp(p->ctty) : NO_TPGID);
    textbuf_printf(tb, "%lu 0 %lu 0 %d %d %d 0 %lu %zu %zu %lu ",
                   procinfo_ticks(sched_proc_cpu_ns(p)), procinfo_ticks(p->children_cpu_ns),
                   PRIO_BASE + p->nice, p->nice, p->threads, procinfo_ticks(p->start_ns), procinfo_vm_bytes(p), procinfo_rss_pages(p),
                   RSS_UNLIMITED);
    textbuf_printf(tb, "0 0 0 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 0 0 %lu 0 0 0 0 %d\n",
                   p->sigpending, sig_blocked(p), sig_set(p, false), sig_set(p, true),
                   SIGCHLD, p->vm ? (uint64_t)p->vm->brk_base : 0,
                   zombie ? p->exit_status : 0);
}

static const char *state_name(char s)
{
    switch (s) {
    case 'R': return "running";
    case 'T': return "stopped";
    case 'Z': return "zombie";
    default: return "sleeping";
    }
}

static void pid_status(struct textbuf *tb, struct proc *p)
{
    char comm[PROCINFO_COMM_MAX + 1], s = procinfo_state(p);

    comm_of(p, comm);
    textbuf_printf(tb, "Name:\t%s\nUmask:\t0%u%u%u\nState:\t%c (%s)\n", comm, (p->umask >> 6) & 7,
                   (p->umask >> 3) & 7, p->umask & 7, s, state_name(s));
    textbuf_printf(tb, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
                       "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t\n",
                   p->pid, p->pid, procinfo_ppid(p), PROC_FD_MAX);
    if (s != 'Z')
        textbuf_printf(tb, "VmSize:\t%8zu kB\nVmRSS:\t%8zu kB\n", procinfo_vm_bytes(p) / 1024,
                       procinfo_rss_pages(p) * (VM_PAGE_SIZE / 1024));
    textbuf_printf(tb, "Threads:\t%d\nSigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n"
                       "SigIgn:\t%016lx\nSigCgt:\t%016lx\n",
                   p->threads, sig_thread_pending(p), p->sigpending, sig_blocked(p),
                   sig_set(p, false), sig_set(p, true));
}

/* argv from the last exec; a zombie has none, as on Linux. */
static void pid_cmdline(struct textbuf *tb, struct proc *p)
{
    if (p->state != PROC_ZOMBIE && p->cmdline)
        textbuf_append(tb, p->cmdline, p->cmdline_len);
}

static void pid_comm(struct textbuf *tb, struct proc *p)
{
    char comm[PROCINFO_COMM_MAX + 1];

    comm_of(p, comm);
    textbuf_printf(tb, "%s\n", comm);
}

static const struct {
    const char *name;
    void (*fill)(struct textbuf *tb, struct proc *p);
} pid_files[] = {
    {"stat", pid_stat}, {"status", pid_status}, {"cmdline", pid_cmdline}, {"comm", pid_comm},
};

/* Linux's names for the character devices Anvil has (devices.txt). */
static const struct {
    unsigned major, minor;
    const char *path;
} char_devices[] = {
    {1, 3, "/dev/null"},    {1, 5, "/dev/zero"}, {1, 7, "/dev/full"}, {1, 8, "/dev/random"},
    {1, 9, "/dev/urandom"}, {5, 0, "/dev/tty"},  {5, 1, "/dev/console"},
    {5, 2, "/dev/ptmx"},
};

/* A character device's /dev name: its length, or -ENOSYS. */
static long chr_name(uint64_t rdev, char *buf, size_t size)
{
    unsigned major = (rdev >> RDEV_MAJOR_SHIFT) & RDEV_MAJOR_MASK;
    unsigned minor = (rdev & RDEV_MINOR_LOW) | ((rdev >> RDEV_MINOR_SHIFT) & RDEV_MINOR_HIGH);

    if (major == PTS_MAJOR)
        return (long)ksnprintf(buf, size, "/dev/pts/%u", minor);
    for (size_t i = 0; i < sizeof(char_devices) / sizeof(char_devices[0]); i++)
        if (char_devices[i].major == major && char_devices[i].minor == minor)
            return (long)strlcpy(buf, char_devices[i].path, size);
    return -ENOSYS;
}

/* A file as Linux's fd links name it: a directory's path, a device's /dev
 * path, pipe:[ino]; -ENOSYS when the kernel does not know its name. */
static long file_name(struct file *f, char *buf, size_t size)
{
    struct kstat st;

    if (f->ops->dirpath && f->ops->dirpath(f, buf, size) == 0)
        return (long)strlen(buf);
    if (!f->ops->stat || f->ops->stat(f, &st) < 0)
        return -ENOSYS;
    if ((st.st_mode & S_IFMT) == S_IFIFO)
        return (long)ksnprintf(buf, size, "pipe:[%lu]", st.st_ino);
    if ((st.st_mode & S_IFMT) == S_IFCHR)
        return chr_name(st.st_rdev, buf, size);
    return -ENOSYS;
}

static long fd_target(struct proc *p, const char *num, char *buf, size_t size)
{
    uint64_t fd;
    struct file *f;
    long n;

    if (str_to_u64(num, &fd) < 0 || fd >= PROC_FD_MAX || !(f = fd_get(p, (int)fd)))
        return -ENOSYS;
    n = file_name(f, buf, size);
    file_put(f);
    return n;
}

long proc_pid_link(struct proc *p, const char *rest, char *buf, size_t size)
{
    if (p->state == PROC_ZOMBIE)
        return -ENOSYS;
    if (strcmp(rest, EXE_LINK) == 0)
        return p->exe ? (long)strlcpy(buf, p->exe, size) : -ENOSYS;
    if (strcmp(rest, CWD_LINK) == 0)
        return (long)strlcpy(buf, p->cwd, size);
    if (strncmp(rest, FD_PREFIX, FD_PREFIX_LEN) == 0)
        return fd_target(p, rest + FD_PREFIX_LEN, buf, size);
    return -ENOSYS;
}

/* When rest is the link name or a path through it: what comes after the
 * link ("" for the link itself); else NULL. */
static const char *under_link(const char *rest, const char *link)
{
    size_t n = strlen(link);

    if (strncmp(rest, link, n) != 0 || (rest[n] && rest[n] != '/'))
        return NULL;
    return rest[n] ? rest + n + 1 : rest + n;
}

/* Open below inside what exe or cwd points to, routed as the caller would
 * route it. O_NOFOLLOW only matters for the link itself. */
static int open_target(const char *target, const char *below, unsigned flags, unsigned mode,
                       struct file **out)
{
    char path[PATH_MAX_LEN];
    struct scheme_path sp;
    int err;

    if ((!below[0] && (flags & O_NOFOLLOW)) || follow_depth >= FOLLOW_DEPTH_MAX)
        return -ELOOP;
    if (ksnprintf(path, sizeof(path), below[0] ? "%s/%s" : "%s", target, below) >= sizeof(path))
        return -ENAMETOOLONG;
    if ((err = scheme_route("/", path, &sp)) < 0)
        return err;
    follow_depth++;
    err = scheme_open_path(&sp, flags, mode, out);
    follow_depth--;
    return err;
}

static int open_dir(unsigned flags, const char *canon, struct file **out)
{
    struct textbuf tb = {0};

    for (size_t i = 0; i < sizeof(pid_files) / sizeof(pid_files[0]); i++)
        textbuf_dirent(&tb, pid_files[i].name, 0);
    textbuf_dirent(&tb, FD_DIR, '/');
    textbuf_dirent(&tb, EXE_LINK, '@');
    textbuf_dirent(&tb, CWD_LINK, '@');
    return textfile_open_dir(&tb, flags, canon, out);
}

static int open_fd_dir(struct proc *p, unsigned flags, const char *canon, struct file **out)
{
    struct textbuf tb = {0};
    char path[PATH_MAX_LEN], name[12];

    for (int fd = 0; fd < PROC_FD_MAX; fd++) {
        if (!p->fds.files[fd])
            continue;
        ksnprintf(name, sizeof(name), "%d", fd);
        textbuf_dirent(&tb, name, '?');   /* a link when the kernel knows the file's name */
    }
    ksnprintf(path, sizeof(path), "%s/%s", canon, FD_DIR);
    return textfile_open_dir(&tb, flags, path, out);
}

/* /proc/PID/fd/N (and so /dev/fd/N, /dev/stdin ...): the caller's own fd N
 * again, as dup does. Another process's files stay its own. */
static int open_fd(struct proc *p, const char *num, struct file **out)
{
    uint64_t fd;

    if (str_to_u64(num, &fd) < 0 || fd >= PROC_FD_MAX)
        return -ENOENT;
    if (p != proc_current())
        return -EACCES;
    if (!(*out = fd_get(p, (int)fd)))
        return -ENOENT;
    return 0;
}

int proc_pid_open(struct proc *p, const char *rest, unsigned flags, unsigned mode,
                  const char *canon, struct file **out)
{
    struct textbuf tb = {0};

    const char *below;

    if (p->state != PROC_ZOMBIE && p->exe && (below = under_link(rest, EXE_LINK)))
        return open_target(p->exe, below, flags, mode, out);
    if (p->state != PROC_ZOMBIE && (below = under_link(rest, CWD_LINK)))
        return open_target(p->cwd, below, flags, mode, out);
    if (!rest[0])
        return open_dir(flags, canon, out);
    if (strcmp(rest, FD_DIR) == 0)
        return open_fd_dir(p, flags, canon, out);
    if (strncmp(rest, FD_PREFIX, FD_PREFIX_LEN) == 0)
        return open_fd(p, rest + FD_PREFIX_LEN, out);
    for (size_t i = 0; i < sizeof(pid_files) / sizeof(pid_files[0]); i++) {
        if (strcmp(rest, pid_files[i].name) != 0)
            continue;
        if (flags & O_DIRECTORY)
            return -ENOTDIR;
        pid_files[i].fill(&tb, p);
        return textfile_open(&tb, flags, S_IFREG, out);
    }
    return -ENOENT;
}
