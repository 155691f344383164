/* services/ramfsd/seed.c: fill the tree at start with a copy of a directory
 * tree from another scheme (the initfs), so /etc and /bin exist once file:
 * is served from RAM. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ramfs.h"
#include "svc.h"

#define SEED_PATH_MAX 1024

static int copy_file(const char *src, struct ramfs_node *n, size_t size)
{
    int fd = open(src, O_RDONLY), err = 0;
    size_t done = 0;

    if (fd < 0)
        return -errno;
    if ((err = ramfs_resize(n, size)) < 0)
        goto out;
    while (done < size) {
        ssize_t r = read(fd, n->data + done, size - done);
        if (r <= 0) {
            err = r < 0 ? -errno : -EIO;
            goto out;
        }
        done += (size_t)r;
    }
out:
    close(fd);
    return err;
}

/* One entry of the source directory: a file copied or a directory walked. */
static int seed_entry(const char *src, const char *name, struct ramfs_node *dir)
{
    char path[SEED_PATH_MAX];
    struct ramfs_node *n;
    struct stat st;
    int err;

    if (snprintf(path, sizeof(path), "%s%s%s", src, src[strlen(src) - 1] == '/' ? "" : "/", name)
        >= (int)sizeof(path))
        return -ENAMETOOLONG;
    if (stat(path, &st) < 0)
        return -errno;
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
        return 0;   /* nothing else lives in an initfs */
    if (!(n = ramfs_find(dir, name)) &&
        (err = ramfs_create(dir, name, S_ISDIR(st.st_mode), st.st_mode, &n)) < 0)
        return err;
    if (n->dir != S_ISDIR(st.st_mode))
        return -EEXIST;
    return n->dir ? ramfs_seed(path, n) : copy_file(path, n, (size_t)st.st_size);
}

int ramfs_seed(const char *src, struct ramfs_node *dir)
{
    DIR *d = opendir(src);
    struct dirent *e;
    int err = 0, r;

    if (!d)
        return -errno;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((r = seed_entry(src, e->d_name, dir)) < 0) {
            svc_log("ramfsd: seeding %s/%s: %s", src, e->d_name, strerror(-r));
            err = err ? err : r;   /* go on: copy what can be copied */
        }
    }
    closedir(d);
    return err;
}
