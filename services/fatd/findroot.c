/* services/fatd/findroot.c: finding the root volume at boot. The block
 * drivers start before fatd (init orders them by `after`), but a driver that
 * is restarting or slow may register its disk.NAME: scheme later, so the
 * disks are tried again until one has the partition or the wait runs out, but
 * only while init says some other service is still starting or waiting to be
 * restarted: a driver that found no device has stopped and registers nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "findroot.h"

#define FIND_POLL_NS 100000000L    /* between rounds of tries */
#define MS_PER_S 1000
#define SERVICES_PATH "init:services"   /* "NAME STATE PID RESTARTS" lines (services/init) */
#define SERVICES_MAX 4096

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * MS_PER_S + ts.tv_nsec / 1000000;
}

/* Whether a service other than this one may still register a scheme: one
 * init calls starting or waiting (to be restarted). True when init cannot
 * tell, so that the wait is kept. */
static bool others_starting(void)
{
    char text[SERVICES_MAX + 1], state[16], *save;
    int fd = open(SERVICES_PATH, O_RDONLY | O_CLOEXEC), pid;
    ssize_t n = fd >= 0 ? read(fd, text, SERVICES_MAX) : -1;

    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return true;
    text[n] = '\0';
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (sscanf(line, "%*s %15s %d", state, &pid) == 2 && pid != getpid() &&
            (!strcmp(state, "starting") || !strcmp(state, "waiting")))
            return true;
    return false;
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

    while ((err = try_disks(disks, n, path, size, out)) == -ENODEV && now_ms() < deadline &&
           others_starting())
        nanosleep(&tick, NULL);
    return err == 0 ? 0 : -ENOENT;
}
