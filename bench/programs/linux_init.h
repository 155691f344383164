/* bench/programs/linux_init.h: what a bench program needs when it is Linux's /init:
 * the kernel modules its initramfs carries in /modules, loaded in name order (the
 * bench script numbers them so that each comes after what it depends on). */
#ifndef ANVIL_BENCH_PROGRAMS_LINUX_INIT_H
#define ANVIL_BENCH_PROGRAMS_LINUX_INIT_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Every /modules/NAME.ko; false (each failure named on stderr as PROG: ...) when one
 * does not load. A module already in the kernel counts as loaded. */
static bool linux_load_modules(const char *prog)
{
    struct dirent **list;
    int n = scandir("/modules", &list, NULL, alphasort);
    bool ok = n >= 0;
    char ko[PATH_MAX];

    if (!ok)
        fprintf(stderr, "%s: scandir /modules: %s\n", prog, strerror(errno));
    for (int i = 0; i < n; i++) {
        snprintf(ko, sizeof(ko), "/modules/%s", list[i]->d_name);
        int fd = list[i]->d_name[0] == '.' ? -1 : open(ko, O_RDONLY | O_CLOEXEC);
        if (fd >= 0 && syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST) {
            fprintf(stderr, "%s: finit_module %s: %s\n", prog, ko, strerror(errno));
            ok = false;
        }
        if (fd >= 0)
            close(fd);
        free(list[i]);
    }
    free(list);
    return ok;
}

#endif
