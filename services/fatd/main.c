/* services/fatd/main.c: serves a scheme (file: for the root) from a FAT32
 * volume. Usage: fatd [-r] SCHEME SOURCE. SOURCE is a file or a block
 * scheme's partition (disk.NAME:PART) used in place; with -r it is read whole
 * into RAM first (live mode: initfs:/boot/root.img), writable for the session.
 * SIGTERM (init stopping services) writes everything back and marks the
 * volume clean before exiting. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fatd.h"

struct fat_vol *fatd_vol;
static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

static int usage(void)
{
    svc_log("fatd: usage: fatd [-r] SCHEME SOURCE");
    return 2;
}

static int serve(int fd)
{
    struct sigaction sa = {.sa_handler = on_term};   /* no SA_RESTART: read stops */
    int err = 0;

    sigaction(SIGTERM, &sa, NULL);
    while (!stopping && err == 0)
        err = svc_serve_once(fd, &fatd_ops);
    if (err)
        svc_log("fatd: serving: %s", strerror(-err));
    if ((err = fat_unmount(fatd_vol)) < 0)
        svc_log("fatd: unmounting: %s", strerror(-err));
    return err < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    bool ram = argc > 1 && !strcmp(argv[1], "-r");
    const char *scheme, *source;
    struct blk *b;
    int err, fd;

    if (argc != 3 + ram)
        return usage();
    scheme = argv[1 + ram];
    source = argv[2 + ram];
    err = ram ? blk_open_ram(source, &b) : blk_open_file(source, false, &b);
    if (err < 0) {
        svc_log("fatd: %s: %s", source, strerror(-err));
        return 1;
    }
    if ((err = fat_mount(b, false, &fatd_vol)) < 0) {
        svc_log("fatd: %s: not a FAT32 volume I can mount: %s", source, strerror(-err));
        return 1;
    }
    if ((fd = svc_register(scheme)) < 0) {
        svc_log("fatd: cannot register %s: %s", scheme, strerror(-fd));
        return 1;
    }
    return serve(fd);
}
