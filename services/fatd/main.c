/* services/fatd/main.c: serves a scheme (file: for the root) from a FAT32
 * volume.
 *   fatd [-r] SCHEME SOURCE
 * SOURCE is a file or a block scheme's partition (disk.NAME:PART) used in
 * place; with -r it is read whole into RAM first, writable for the session.
 *   fatd -l LIVE [-w SECONDS] SCHEME DISK...
 * finds the root: the first DISK scheme (disk.virtio ...) with a partition
 * labelled "Anvil root", waiting up to SECONDS (default 3) for drivers still
 * starting; when none has it, LIVE is served from RAM (live mode): a FAT32
 * volume by fatd itself, or a cpio archive (LIVE ends in .cpio) by ramfsd,
 * which fatd becomes (exec), as light as the ramfs root.
 *   fatd -m SCHEME
 * serves mount(2)'s requests as SCHEME (fs.vfat): each SOURCE gets a child
 * fatd of its own (mountsrv.c).
 * SIGTERM (init stopping services) writes everything back and marks the
 * volume clean before exiting. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fatd.h"
#include "findroot.h"

#define WAIT_DEFAULT_S 3
#define WAIT_MAX_S 600
#define FS_TYPE "vfat"            /* as Linux names FAT with long names in /proc/mounts */
#define DRAIN_ROUNDS 64            /* batches served after SIGTERM, at most */
#define ARCHIVE_SUFFIX ".cpio"
#define ARCHIVE_SERVER "/bin/ramfsd"   /* in the initfs with image.root = "disk" (mkimage) */

struct fatd_args {
    bool ram;                     /* -r: SOURCE into RAM */
    bool mounts;                  /* -m: the mount service */
    const char *live;             /* -l: the fallback volume; sources are disk schemes */
    int wait_s;                   /* -w */
    const char *scheme;
    char **sources;
    int nsources;
};

struct fat_vol *fatd_vol;
static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

static int usage(void)
{
    svc_log("fatd: usage: fatd [-r] SCHEME SOURCE | fatd -l LIVE [-w SECONDS] SCHEME DISK..."
            " | fatd -m SCHEME");
    return 2;
}

static int parse(int argc, char **argv, struct fatd_args *a)
{
    char *end;
    int c;

    a->wait_s = WAIT_DEFAULT_S;
    while ((c = getopt(argc, argv, "rml:w:")) != -1) {
        if (c == 'r')
            a->ram = true;
        else if (c == 'm')
            a->mounts = true;
        else if (c == 'l')
            a->live = optarg;
        else if (c == 'w' && (a->wait_s = (int)strtol(optarg, &end, 10)) >= 0 &&
                 a->wait_s <= WAIT_MAX_S && !*end && end != optarg)
            continue;
        else
            return -1;
    }
    a->scheme = optind < argc ? argv[optind] : NULL;
    a->sources = argv + optind + 1;
    a->nsources = argc - optind - 1;
    if (a->mounts)
        return a->scheme && a->nsources == 0 && !a->ram && !a->live ? 0 : -1;
    if (!a->scheme || a->nsources < 1 || (!a->live && a->nsources != 1) || (a->live && a->ram))
        return -1;
    return 0;
}

static bool is_archive(const char *path)
{
    size_t n = strlen(path), k = strlen(ARCHIVE_SUFFIX);

    return n > k && !strcmp(path + n - k, ARCHIVE_SUFFIX);
}

/* The root's block source: a disk's "Anvil root", else the live copy in RAM
 * (said on the console: what is written there is lost at power-off). */
static int open_root(const struct fatd_args *a, char *path, size_t size, struct blk **b)
{
    if (fatd_find_root(a->sources, a->nsources, a->wait_s * 1000, path, size, b) == 0) {
        svc_log("fatd: root on %s", path);
        return 0;
    }
    svc_log("fatd: no disk has a partition \"%s\": LIVE MODE, serving %s from RAM;"
            " changes are lost at power-off", FATD_ROOT_LABEL, a->live);
    snprintf(path, size, "%s", a->live);
    if (is_archive(a->live)) {
        execl(ARCHIVE_SERVER, ARCHIVE_SERVER, a->scheme, a->live, (char *)NULL);
        return -errno;
    }
    return blk_open_ram(a->live, b);
}

static int open_source(const struct fatd_args *a, char *path, size_t size, struct blk **b)
{
    if (a->live)
        return open_root(a, path, size, b);
    snprintf(path, size, "%s", a->sources[0]);
    return a->ram ? blk_open_ram(path, b) : blk_open_file(path, false, b);
}

/* Requests already queued when SIGTERM came: writes the kernel's file cache
 * sent behind (without waiting) must reach the volume before the unmount. */
static int drain(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int err = 0;

    for (int i = 0; i < DRAIN_ROUNDS && err == 0 && poll(&p, 1, 0) == 1 && (p.revents & POLLIN); i++)
        err = svc_serve_once(fd, &fatd_ops);
    return err;
}

static int serve(int fd)
{
    struct sigaction sa = {.sa_handler = on_term};   /* no SA_RESTART: read stops */
    int err = 0;

    sigaction(SIGTERM, &sa, NULL);
    while (!stopping && err == 0)
        err = svc_serve_once(fd, &fatd_ops);
    if (err == 0)
        err = drain(fd);
    if (err)
        svc_log("fatd: serving: %s", strerror(-err));
    if ((err = fat_unmount(fatd_vol)) < 0)
        svc_log("fatd: unmounting: %s", strerror(-err));
    return err < 0 ? 1 : 0;
}

int fatd_run(struct blk *b, const char *source, const char *scheme, int ready_fd)
{
    int err, fd;

    if ((err = fat_mount(b, false, &fatd_vol)) < 0) {
        svc_log("fatd: %s: not a FAT32 volume I can mount: %s", source, strerror(-err));
        return fatd_ready(ready_fd, err);
    }
    if ((fd = svc_register(scheme)) < 0) {
        svc_log("fatd: cannot register %s: %s", scheme, strerror(-fd));
        return fatd_ready(ready_fd, fd);
    }
    if ((err = svc_describe(scheme, source, FS_TYPE)) < 0)
        svc_log("fatd: cannot describe %s for /proc/mounts: %s", scheme, strerror(-err));
    fatd_ready(ready_fd, 0);
    return serve(fd);
}

int fatd_ready(int fd, int err)
{
    if (fd >= 0) {
        (void)!write(fd, &err, sizeof(err));
        close(fd);
    }
    return err < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct fatd_args a = {0};
    char source[FATD_PATH_MAX];
    struct blk *b;
    int err;

    if (parse(argc, argv, &a) < 0)
        return usage();
    if (a.mounts)
        return fatd_mount_service(a.scheme);
    if ((err = open_source(&a, source, sizeof(source), &b)) < 0) {
        svc_log("fatd: %s: %s", source, strerror(-err));
        return 1;
    }
    return fatd_run(b, source, a.scheme, -1);
}
