/* services/fatd/findroot.c: finding the root volume at boot. The block
 * drivers start before fatd (init orders them by `after`), but a driver that
 * is restarting or slow may register its disk.NAME: scheme later, so the
 * disks are tried again until one has the partition or the wait runs out. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "findroot.h"

#define FIND_POLL_NS 100000000L    /* between rounds of tries */
#define MS_PER_S 1000

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * MS_PER_S + ts.tv_nsec / 1000000;
}

/* One round over the disks: 0 when one has the partition; -ENODEV while some
 * scheme is not served (yet); -ENOENT when every one answered without it. */
static int try_disks(char *const *disks, int n, char *path, size_t size, struct blk **out)
{
    int ret = -ENOENT;

    for (int i = 0; i < n; i++) {
        snprintf(path, size, "%s:0/%s", disks[i], FATD_ROOT_LABEL);
        int err = blk_open_file(path, false, out);
        if (err == 0)
            return 0;
        if (err == -ENODEV)
            ret = -ENODEV;
    }
    return ret;
}

int fatd_find_root(char *const *disks, int n, int wait_ms, char *path, size_t size,
                   struct blk **out)
{
    long long deadline = now_ms() + wait_ms;
    struct timespec tick = {0, FIND_POLL_NS};
    int err;

    while ((err = try_disks(disks, n, path, size, out)) == -ENODEV && now_ms() < deadline)
        nanosleep(&tick, NULL);
    return err == 0 ? 0 : -ENOENT;
}
