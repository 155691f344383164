/* services/ramfsd/cpio.c: seeding the tree from a cpio "newc" archive
 * (cpio(5); what `cpio -o -H newc` writes). Each member is a 110-byte ASCII
 * header ("070701" or "070702" and 13 eight-digit hex fields), the name
 * padded with the header to a multiple of 4, then the data padded to 4; the
 * archive ends with "TRAILER!!!". Regular files, directories and symbolic
 * links are unpacked with their modes, owners and mtimes; hard links
 * (members sharing an inode) become one node. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ramfs.h"
#include "svc.h"

#define NEWC_HEADER 110
#define NEWC_FIELD 8
#define NEWC_MAGIC_LEN 6
#define F_INO 0
#define F_MODE 1
#define F_UID 2
#define F_GID 3
#define F_NLINK 4
#define F_MTIME 5
#define F_FILESIZE 6
#define F_NAMESIZE 11
#define F_COUNT 13
#define TRAILER "TRAILER!!!"
#define ARCHIVE_MAX (256u << 20)
#define DIR_MODE (S_IFDIR | 0755)

struct member {
    uint32_t f[F_COUNT];
    const char *name;
    const uint8_t *data;
};

/* Directories' mtimes are set last: unpacking their entries would move them. */
struct dir_time {
    struct ramfs_node *dir;
    int64_t mtime;
};

/* Hard links: inode number -> node, for members with nlink > 1. */
struct hard_link {
    uint32_t ino;
    struct ramfs_node *node;
};

struct unpack {
    struct dir_time *times;
    size_t ntimes, cap_times;
    struct hard_link *links;
    size_t nlinks, cap_links;
};

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    void *bigger;
    size_t n = *cap ? *cap * 2 : 32;

    if (need <= *cap)
        return 0;
    if (!(bigger = realloc(*arr, n * elem)))
        return -ENOMEM;
    *arr = bigger;
    *cap = n;
    return 0;
}

static bool hex_fields(const uint8_t *h, uint32_t f[F_COUNT])
{
    for (int k = 0; k < F_COUNT; k++) {
        uint32_t v = 0;
        for (int i = 0; i < NEWC_FIELD; i++) {
            uint8_t c = h[NEWC_MAGIC_LEN + k * NEWC_FIELD + i];
            unsigned d = 16;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (c >= 'a' && c <= 'f')
                d = c - 'a' + 10u;
            else if (c >= 'A' && c <= 'F')
                d = c - 'A' + 10u;
            if (d > 15)
                return false;
            v = v << 4 | d;
        }
        f[k] = v;
    }
    return true;
}

static size_t pad4(size_t v)
{
    return (v + 3) & ~(size_t)3;
}

/* Parse the member at *off: 1 (and *off advanced), 0 at the trailer, -EINVAL. */
static int parse(const uint8_t *a, size_t size, size_t *off, struct member *m)
{
    const uint8_t *h = a + *off;
    size_t name_end, data_off;

    if (size - *off < NEWC_HEADER ||
        (memcmp(h, "070701", NEWC_MAGIC_LEN) != 0 && memcmp(h, "070702", NEWC_MAGIC_LEN) != 0) ||
        !hex_fields(h, m->f) || m->f[F_NAMESIZE] == 0 ||
        m->f[F_NAMESIZE] > size - *off - NEWC_HEADER)
        return -EINVAL;
    name_end = *off + NEWC_HEADER + m->f[F_NAMESIZE];
    if (a[name_end - 1] != '\0')
        return -EINVAL;
    m->name = (const char *)h + NEWC_HEADER;
    if (strcmp(m->name, TRAILER) == 0)
        return 0;
    data_off = pad4(name_end);
    if (data_off > size || m->f[F_FILESIZE] > size - data_off)
        return -EINVAL;
    m->data = a + data_off;
    *off = pad4(data_off + m->f[F_FILESIZE]);
    if (*off > size)
        *off = size;
    while (m->name[0] == '/' || (m->name[0] == '.' && m->name[1] == '/'))
        m->name += m->name[0] == '/' ? 1 : 2;
    return 1;
}

/* The directory that holds path (made with mode 0755 where missing; a
 * symbolic link on the way is followed) and the last name in *leaf. */
static int parent_of(const char *path, struct ramfs_node **dir, const char **leaf)
{
    char part[RAMFS_PATH_MAX + 1];
    const char *slash = strrchr(path, '/'), *pl;
    struct ramfs_where w;
    struct ramfs_entry *e;
    struct ramfs_node *pd;
    int err;

    *leaf = slash ? slash + 1 : path;
    if (!slash) {
        *dir = ramfs_root();
        return *dir ? 0 : -ENOMEM;
    }
    if ((size_t)(slash - path) > RAMFS_PATH_MAX)
        return -ENAMETOOLONG;
    memcpy(part, path, (size_t)(slash - path));
    part[slash - path] = '\0';
    if ((err = parent_of(part, &pd, &pl)) < 0)
        return err;
    if (!(e = ramfs_find(pd, pl)))
        return ramfs_create(pd, pl, DIR_MODE, 0, 0, dir);
    *dir = e->node;
    if (S_ISLNK(e->node->mode)) {
        if ((err = ramfs_resolve(part, true, &w)) < 0)
            return err;
        if (!w.node)
            return -ENOENT;
        *dir = w.node;
    }
    return S_ISDIR((*dir)->mode) ? 0 : -ENOTDIR;
}

/* A member name we unpack: no empty, "." or ".." components. */
static bool name_ok(const char *name)
{
    for (const char *p = name; *p;) {
        size_t len = strcspn(p, "/");
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        p += len;
        if (*p == '/')
            p++;
    }
    return *name != '\0';
}

static struct ramfs_node *linked_node(struct unpack *u, const struct member *m)
{
    if (m->f[F_NLINK] < 2 || S_ISDIR(m->f[F_MODE]))
        return NULL;
    for (size_t i = 0; i < u->nlinks; i++)
        if (u->links[i].ino == m->f[F_INO])
            return u->links[i].node;
    return NULL;
}

static int remember(struct unpack *u, const struct member *m, struct ramfs_node *n)
{
    if (S_ISDIR(n->mode)) {
        if (grow((void **)&u->times, &u->cap_times, u->ntimes + 1, sizeof(*u->times)) < 0)
            return -ENOMEM;
        u->times[u->ntimes++] = (struct dir_time){n, m->f[F_MTIME]};
        return 0;
    }
    if (m->f[F_NLINK] < 2 || linked_node(u, m))
        return 0;
    if (grow((void **)&u->links, &u->cap_links, u->nlinks + 1, sizeof(*u->links)) < 0)
        return -ENOMEM;
    u->links[u->nlinks++] = (struct hard_link){m->f[F_INO], n};
    return 0;
}

/* The node for a member: an existing one of the same type, a hard link, or new. */
static int node_for(struct unpack *u, const struct member *m, struct ramfs_node **out)
{
    uint32_t type = m->f[F_MODE] & S_IFMT;
    struct ramfs_node *dir, *same = linked_node(u, m);
    struct ramfs_entry *e;
    const char *leaf;
    int err;

    if ((err = parent_of(m->name, &dir, &leaf)) < 0)
        return err;
    if (!*leaf || strlen(leaf) > RAMFS_NAME_MAX)
        return -EINVAL;
    if ((e = ramfs_find(dir, leaf))) {
        if ((e->node->mode & S_IFMT) == type && (!same || same == e->node)) {
            *out = e->node;
            return 0;
        }
        if (S_ISDIR(e->node->mode))
            return -EEXIST;
        ramfs_unlink(dir, e);   /* a later member replaces an earlier one, as cpio -i -u does */
    }
    if (same) {
        *out = same;
        return ramfs_link(dir, leaf, same);
    }
    return ramfs_create(dir, leaf, type | (m->f[F_MODE] & 07777), m->f[F_UID], m->f[F_GID], out);
}

static int unpack_member(struct unpack *u, const struct member *m)
{
    uint32_t type = m->f[F_MODE] & S_IFMT;
    struct ramfs_node *n;
    int err;

    if (!*m->name || strcmp(m->name, ".") == 0)
        return 0;
    if (!name_ok(m->name))
        return -EINVAL;
    if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK)
        return 0;   /* devices, pipes, sockets: the kernel serves those */
    if ((err = node_for(u, m, &n)) < 0)
        return err;
    n->mode = type | (m->f[F_MODE] & 07777);
    n->uid = m->f[F_UID];
    n->gid = m->f[F_GID];
    if (type == S_IFLNK && m->f[F_FILESIZE] > ANVIL_SYMLINK_MAX)
        return -ENAMETOOLONG;
    if (type != S_IFDIR && (m->f[F_FILESIZE] > 0 || !linked_node(u, m)) &&
        (err = ramfs_set_data(n, m->data, m->f[F_FILESIZE])) < 0)
        return err;
    n->mtime = n->ctime = n->atime = (struct timespec){(time_t)m->f[F_MTIME], 0};
    return remember(u, m, n);
}

static int unpack(const uint8_t *a, size_t size)
{
    struct unpack u = {0};
    struct member m;
    size_t off = 0;
    int r = 0, err = 0;

    while (off < size && (r = parse(a, size, &off, &m)) > 0) {
        int e = unpack_member(&u, &m);
        if (e < 0) {
            svc_log("ramfsd: unpacking %s: %s", m.name, strerror(-e));
            err = err ? err : e;
        }
    }
    if (off < size && r < 0) {
        svc_log("ramfsd: malformed cpio member at offset %zu", off);
        err = err ? err : r;
    }
    for (size_t i = 0; i < u.ntimes; i++)
        u.times[i].dir->mtime = (struct timespec){(time_t)u.times[i].mtime, 0};
    free(u.times);
    free(u.links);
    return err;
}

int ramfs_seed_cpio(const char *path)
{
    int fd = open(path, O_RDONLY), err;
    uint8_t *a = NULL;
    size_t done = 0;
    struct stat st;

    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0 || st.st_size < 0 || (uint64_t)st.st_size > ARCHIVE_MAX) {
        err = fstat(fd, &st) < 0 ? -errno : -EFBIG;
        goto out;
    }
    err = -ENOMEM;
    if (!(a = malloc((size_t)st.st_size + 1)))
        goto out;
    while (done < (size_t)st.st_size) {
        ssize_t r = read(fd, a + done, (size_t)st.st_size - done);
        if (r <= 0) {
            err = r < 0 ? -errno : -EIO;
            goto out;
        }
        done += (size_t)r;
    }
    err = unpack(a, done);
out:
    free(a);
    close(fd);
    return err;
}
