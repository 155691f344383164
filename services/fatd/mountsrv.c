/* services/fatd/mountsrv.c: fatd -m fs.vfat, the service mount(2) asks. The
 * kernel opens fs.vfat:SOURCE; a child fatd mounts SOURCE and registers
 * fs.vfat.N (a provider of NAME may register NAME.N), and the handle reads
 * back that name, which the kernel puts at the mount point. umount2 sends
 * the child SIGTERM; so does this service when init stops it, and it waits
 * for each child to write its volume back before it exits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fatd.h"

#define MOUNTS_MAX 8

/* The children serving a volume (one thread; pid 0: a free slot). */
static struct {
    pid_t pid;
    char name[ANVIL_SCHEME_NAME_MAX + 1];
} mounts[MOUNTS_MAX];
static int service_fd = -1;
static const char *service_name;    /* fs.vfat: the children are fs.vfat.N */
static unsigned started;
static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

/* Forget the children that exited (unmounted, or died: their mount points
 * then give ENODEV). */
static void reap(void)
{
    pid_t pid;

    while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
        for (int i = 0; i < MOUNTS_MAX; i++)
            if (mounts[i].pid == pid)
                mounts[i].pid = 0;
}

static int free_slot(void)
{
    reap();
    for (int i = 0; i < MOUNTS_MAX; i++)
        if (!mounts[i].pid)
            return i;
    return -1;
}

/* The child: SOURCE's volume as name; its start's outcome through ready. */
static int child(const char *source, const char *name, int ready)
{
    struct blk *b;
    int err;

    close(service_fd);
    signal(SIGTERM, SIG_DFL);
    if ((err = blk_open_file(source, false, &b)) < 0) {
        svc_log("fatd: %s: %s", source, strerror(-err));
        return fatd_ready(ready, err);
    }
    return fatd_run(b, source, name, ready);
}

static long m_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    int slot = free_slot(), pipefd[2], err = -EIO;
    pid_t pid;

    (void)c, (void)flags, (void)mode;
    if (slot < 0)
        return -EMFILE;
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return -errno;
    snprintf(mounts[slot].name, sizeof(mounts[slot].name), "%s.%u", service_name, ++started);
    if ((pid = fork()) == 0) {
        close(pipefd[0]);
        _exit(child(path, mounts[slot].name, pipefd[1]));
    }
    err = pid < 0 ? -errno : -EIO;
    close(pipefd[1]);
    if (pid > 0 && read(pipefd[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
        err = -EIO;                 /* the child died before it said, or SIGTERM came */
    close(pipefd[0]);
    if (pid < 0)
        return err;
    if (err < 0) {
        kill(pid, SIGTERM);         /* it may be serving already */
        waitpid(pid, NULL, 0);
        return err;
    }
    mounts[slot].pid = pid;
    svc_log("fatd: %s serves %s", mounts[slot].name, path);
    return slot;
}

static long m_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    size_t n;

    (void)c;
    if (h >= MOUNTS_MAX || !mounts[h].pid)
        return -EBADF;
    n = strlen(mounts[h].name);
    if (off >= n)
        return 0;
    if (len > n - off)
        len = n - off;
    memcpy(buf, mounts[h].name + off, len);
    return (long)len;
}

static long m_close(struct svc_ctx *c, uint64_t h)
{
    (void)c, (void)h;
    return 0;                       /* the mount outlives the kernel's handle */
}

static const struct scheme_ops mount_ops = {.open = m_open, .read = m_read, .close = m_close};

/* Stop every child and wait until each has written its volume back. */
static void stop_children(void)
{
    for (int i = 0; i < MOUNTS_MAX; i++)
        if (mounts[i].pid)
            kill(mounts[i].pid, SIGTERM);
    for (int i = 0; i < MOUNTS_MAX; i++)
        if (mounts[i].pid)
            waitpid(mounts[i].pid, NULL, 0);
}

int fatd_mount_service(const char *scheme)
{
    struct sigaction sa = {.sa_handler = on_term};   /* no SA_RESTART: read stops */
    int err = 0;

    if ((service_fd = svc_register(scheme)) < 0) {
        svc_log("fatd: cannot register %s: %s", scheme, strerror(-service_fd));
        return 1;
    }
    service_name = scheme;
    sigaction(SIGTERM, &sa, NULL);
    while (!stopping && err == 0)
        err = svc_serve_once(service_fd, &mount_ops);
    stop_children();
    return err < 0 ? 1 : 0;
}
