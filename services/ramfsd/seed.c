/* services/ramfsd/seed.c: fill the tree at start with a copy of a directory
 * tree from another scheme (the initfs), so /etc and /bin exist once file:
 * is served from RAM. Symbolic links are copied as links. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ramfs.h"
#include "svc.h"

#define SEED_PATH_MAX 1024
#define PERM_MASK 07777

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

static int copy_link(const char *src, struct ramfs_node *n)
{
    char target[RAMFS_PATH_MAX];
    ssize_t len = readlink(src, target, sizeof(target));

    if (len < 0)
        return -errno;
    return ramfs_set_data(n, target, (size_t)len);
}

/* The node for name in dir with st's type: found or made. */
static int node_for(struct ramfs_node *dir, const char *name, const struct stat *st,
                    struct ramfs_node **out)
{
    struct ramfs_entry *e = ramfs_find(dir, name);

    if (!e)
        return ramfs_create(dir, name, (st->st_mode & S_IFMT) | (st->st_mode & PERM_MASK),
                            st->st_uid, st->st_gid, out);
    if ((e->node->mode & S_IFMT) != (st->st_mode & S_IFMT))
        return -EEXIST;
    *out = e->node;
    return 0;
}

/* One entry of the source directory: a file or link copied, a directory walked. */
static int seed_entry(const char *src, const char *name, struct ramfs_node *dir)
{
    char path[SEED_PATH_MAX];
    struct ramfs_node *n;
    struct stat st;
    int err;

    if (snprintf(path, sizeof(path), "%s%s%s", src, src[strlen(src) - 1] == '/' ? "" : "/", name)
        >= (int)sizeof(path))
        return -ENAMETOOLONG;
    if (lstat(path, &st) < 0)
        return -errno;
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        return 0;   /* devices and pipes are not copied */
    if ((err = node_for(dir, name, &st, &n)) < 0)
        return err;
    if (S_ISDIR(st.st_mode))
        err = ramfs_seed_tree(path, n);
    else if (S_ISLNK(st.st_mode))
        err = copy_link(path, n);
    else
        err = copy_file(path, n, (size_t)st.st_size);
    n->mtime = st.st_mtim;
    return err;
}

int ramfs_seed_tree(const char *src, struct ramfs_node *dir)
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
