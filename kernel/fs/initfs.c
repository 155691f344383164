/* kernel/fs/initfs.c: the cpio newc reader. Each member is a 110-byte
 * ASCII header ("070701" and 13 eight-digit hex fields), the name padded to
 * a multiple of 4 with the header, then the data padded to 4; the archive
 * ends with "TRAILER!!!". The root directory is synthesised. */
#include "fs/initfs.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmem.h"

#define NEWC_MAGIC "070701"
#define NEWC_HEADER 110
#define NEWC_FIELD 8
#define FIELD_INO 0
#define FIELD_MODE 1
#define FIELD_MTIME 5
#define FIELD_FILESIZE 6
#define FIELD_NAMESIZE 11
#define TRAILER "TRAILER!!!"
#define S_IFDIR 0040000u
#define S_IFMT 0170000u
#define S_IFLNK 0120000u
#define INITFS_PATH_MAX 256   /* = PATH_MAX_LEN */
#define ROOT_MODE (S_IFDIR | 0755u)
#define MAX_NODES 4096

/* Written at boot, read-only after. */
static struct initfs_node *nodes;
static size_t node_count;
static struct initfs_node root = {"", 0, ROOT_MODE, 1, 0, NULL, 0};

static bool hex_field(const uint8_t *h, int index, uint32_t *out)
{
    uint32_t v = 0;

    for (int i = 0; i < NEWC_FIELD; i++) {
        uint8_t c = h[6 + index * NEWC_FIELD + i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

/* The next '/' in p, or its end. */
static char *strchr_or_end(char *p)
{
    while (*p && *p != '/')
        p++;
    return p;
}

static size_t pad4(size_t v)
{
    return (v + 3) & ~(size_t)3;
}

/* Parse one member at off; returns the next offset, 0 at the trailer,
 * or -1 cast to size_t on a malformed header. */
static size_t parse_member(const uint8_t *data, size_t size, size_t off, struct initfs_node *n)
{
    const uint8_t *h = data + off;
    uint32_t ino, mode, mtime, fsize, nsize;

    if (off + NEWC_HEADER > size || memcmp(h, NEWC_MAGIC, 6) != 0 ||
        !hex_field(h, FIELD_INO, &ino) || !hex_field(h, FIELD_MODE, &mode) ||
        !hex_field(h, FIELD_MTIME, &mtime) || !hex_field(h, FIELD_FILESIZE, &fsize) ||
        !hex_field(h, FIELD_NAMESIZE, &nsize) || nsize == 0 ||
        off + NEWC_HEADER + nsize > size || h[NEWC_HEADER + nsize - 1] != '\0')
        return (size_t)-1;
    size_t data_off = pad4(off + NEWC_HEADER + nsize);
    if (data_off + fsize > size)
        return (size_t)-1;
    const char *name = (const char *)h + NEWC_HEADER;
    if (strcmp(name, TRAILER) == 0)
        return 0;
    while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
        name += name[0] == '/' ? 1 : 2;
    *n = (struct initfs_node){name, strlen(name), mode, ino + 2, mtime, data + data_off, fsize};
    return pad4(data_off + fsize);
}

int initfs_init(const uint8_t *data, size_t size)
{
    size_t off = 0;

    nodes = kmalloc(MAX_NODES * sizeof(*nodes));
    if (!nodes)
        return -ENOMEM;
    while (node_count < MAX_NODES) {
        struct initfs_node n;
        size_t next = parse_member(data, size, off, &n);
        if (next == 0)
            return 0;
        if (next == (size_t)-1) {
            kprintf("initfs: malformed cpio member at offset %lu\n", off);
            return -EINVAL;
        }
        if (n.name_len > 0 && strcmp(n.name, ".") != 0)
            nodes[node_count++] = n;
        off = next;
    }
    kprintf("initfs: more than %d members; the rest ignored\n", MAX_NODES);
    return 0;
}

const struct initfs_node *initfs_lookup(const char *path)
{
    while (*path == '/')
        path++;
    if (*path == '\0')
        return &root;
    for (size_t i = 0; i < node_count; i++)
        if (strcmp(nodes[i].name, path) == 0)
            return &nodes[i];
    return NULL;
}

/* Append comp to the resolved prefix done ("" or "a/b"). */
static int join(char *done, const char *comp, size_t len)
{
    size_t dl = strlen(done);

    if (dl + 1 + len + 1 > INITFS_PATH_MAX)
        return -ENAMETOOLONG;
    if (dl)
        done[dl++] = '/';
    memcpy(done + dl, comp, len);
    done[dl + len] = '\0';
    return 0;
}

/* "." (nothing) or ".." (drop done's last component): whether comp was one. */
static bool dot(char *done, const char *comp, size_t len)
{
    size_t dl = strlen(done);

    if (len == 1 && comp[0] == '.')
        return true;
    if (len != 2 || comp[0] != '.' || comp[1] != '.')
        return false;
    while (dl > 0 && done[dl - 1] != '/')
        dl--;
    done[dl ? dl - 1 : 0] = '\0';
    return true;
}

/* Make todo = target + "/" + todo (a link's target replaces its name). */
static int splice(char *todo, const struct initfs_node *link, char *done)
{
    char joined[INITFS_PATH_MAX];
    size_t tl = link->size, rl = strlen(todo);

    if (tl + 1 + rl + 1 > sizeof(joined))
        return -ENAMETOOLONG;
    memcpy(joined, link->data, tl);
    joined[tl] = '/';
    memcpy(joined + tl + 1, todo, rl + 1);
    memcpy(todo, joined, tl + rl + 2);
    if (tl && link->data[0] == '/')
        done[0] = '\0';
    return 0;
}

int initfs_resolve(const char *path, bool follow, const struct initfs_node **out)
{
    char done[INITFS_PATH_MAX] = "", todo[INITFS_PATH_MAX];
    int links = 0, err;

    if (strlen(path) >= sizeof(todo))
        return -ENAMETOOLONG;
    strlcpy(todo, path, sizeof(todo));
    for (;;) {
        char *p = todo, *slash;
        const struct initfs_node *n;
        size_t len, dl = strlen(done);
        bool last;

        while (*p == '/')
            p++;
        if (!*p)
            break;
        len = (size_t)((slash = strchr_or_end(p)) - p);
        last = true;
        for (const char *q = slash; *q; q++)
            last = last && *q == '/';
        if (dot(done, p, len)) {
            memmove(todo, slash, strlen(slash) + 1);
            continue;
        }
        if ((err = join(done, p, len)) < 0)
            return err;
        memmove(todo, slash, strlen(slash) + 1);
        if (!(n = initfs_lookup(done)))
            return -ENOENT;
        if ((n->mode & S_IFMT) == S_IFLNK && (!last || follow)) {
            done[dl] = '\0';
            if (++links > INITFS_SYMLINK_LOOPS)
                return -ELOOP;
            if ((err = splice(todo, n, done)) < 0)
                return err;
            continue;
        }
        if (!last && (n->mode & S_IFMT) != S_IFDIR)
            return -ENOTDIR;
    }
    *out = initfs_lookup(done);
    return *out ? 0 : -ENOENT;
}

const struct initfs_node *initfs_child(const struct initfs_node *dir, size_t *cursor)
{
    for (; *cursor < node_count; (*cursor)++) {
        const struct initfs_node *n = &nodes[*cursor];
        size_t dl = dir->name_len;

        if (dl && (n->name_len <= dl + 1 || memcmp(n->name, dir->name, dl) != 0 ||
                   n->name[dl] != '/'))
            continue;
        const char *rest = n->name + (dl ? dl + 1 : 0);
        bool direct = true;
        for (const char *c = rest; *c; c++)
            if (*c == '/')
                direct = false;
        if (direct) {
            (*cursor)++;
            return n;
        }
    }
    return NULL;
}

size_t initfs_count(void)
{
    return node_count;
}
