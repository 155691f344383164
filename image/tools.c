/* image/tools.c: finds the external programs and data files mkimage drives, and
 * names the Debian package that provides any that are missing. */
#define _GNU_SOURCE
#include "tools.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const struct {
    const char *name;       /* a program, or a data file's path prefix */
    const char *package;
} providers[] = {
    {"gcc", "gcc"},
    {"ld", "binutils"},
    {"grub-mkimage", "grub-common"},
    {"xorriso", "xorriso"},
    {"mformat", "mtools"},
    {"mmd", "mtools"},
    {"mcopy", "mtools"},
    {"mattrib", "mtools"},
    {"mkfs.fat", "dosfstools"},
    {"qemu-system-x86_64", "qemu-system-x86"},
    {"tcc", "tcc"},
    {"musl-gcc", "musl-tools"},
    {"/usr/lib/x86_64-linux-musl/", "musl-dev"},
    {"sgdisk", "gdisk"},
    {"fsck.fat", "dosfstools"},
    {"/usr/lib/grub/i386-pc/", "grub-pc-bin"},
    {"/usr/lib/grub/x86_64-efi/", "grub-efi-amd64-bin"},
    {"/usr/share/OVMF/", "ovmf"},
    {"/usr/share/consolefonts/", "console-setup-linux"},
};

static const char *package_of(const char *name)
{
    for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
        const char *p = providers[i].name;
        if (!strcmp(p, name) || (p[0] == '/' && !strncmp(p, name, strlen(p))))
            return providers[i].package;
    }
    return "(unknown)";
}

char *tools_find(const char *name)
{
    const char *path = getenv("PATH");
    char *copy, *dir, *save = NULL, *found = NULL;

    if (strchr(name, '/'))
        return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
    copy = xstrdup(path ? path : "/usr/bin:/bin");
    for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char *full = util_path_join(dir, name);
        if (access(full, X_OK) == 0)
            found = full;
        else
            free(full);
    }
    free(copy);
    return found;
}

bool tools_on_path(const char *name)
{
    char *path = tools_find(name);

    free(path);
    return path != NULL;
}

int tools_need(const char *const names[])
{
    int ret = 0;

    for (size_t i = 0; names[i]; i++) {
        if (tools_on_path(names[i]))
            continue;
        util_err("%s not found: install the Debian package %s (apt-get install %s)",
                 names[i], package_of(names[i]), package_of(names[i]));
        ret = -1;
    }
    return ret;
}

int tools_need_file(const char *path)
{
    if (access(path, R_OK) == 0)
        return 0;
    util_err("%s not found: install the Debian package %s (apt-get install %s)", path,
             package_of(path), package_of(path));
    return -1;
}
