/* services/fatd/subdir.c: what makes a directory one: its "." and ".."
 * entries (".." holds 0 for the root, spec §6.7), whether it is empty, and
 * how many subdirectories it has. */
#include <errno.h>
#include <string.h>

#include "dirent.h"
#include "name.h"

#define DOT_SLOT 0
#define DOTDOT_SLOT 1

static const uint8_t dot_name[11] = {'.', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
static const uint8_t dotdot_name[11] = {'.', '.', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};

/* Write "." and ".." into the new (zeroed) cluster of directory dir. */
int fat_dir_init(struct fat_vol *v, uint32_t dir, uint32_t parent, int64_t now)
{
    struct fat_found f = {.attr = FAT_ATTR_DIR, .mtime = now, .atime = now, .crtime = now};
    uint8_t *e;
    int err;

    memcpy(f.short_name, dot_name, 11);
    f.first = dir;
    /* a new cluster: written with the data, before the FAT links it anywhere */
    if (!(e = dirslot_write(v, dir, DOT_SLOT, CACHE_DATA, &err)))
        return err;
    dirent_pack(e, &f, 0);
    memcpy(f.short_name, dotdot_name, 11);
    f.first = parent == v->root_cluster ? 0 : parent;
    if (!(e = dirslot_write(v, dir, DOTDOT_SLOT, CACHE_DATA, &err)))
        return err;
    dirent_pack(e, &f, 0);
    return 0;
}

int fat_dir_parent(struct fat_vol *v, uint32_t dir, uint32_t *parent)
{
    uint8_t ent[DE_SIZE];
    uint32_t cl;
    int r;

    if (dir == v->root_cluster) {
        *parent = dir;
        return 0;
    }
    if ((r = dirslot_read(v, dir, DOTDOT_SLOT, ent)) != 0)
        return r < 0 ? r : -EIO;
    if (memcmp(ent + DE_NAME, dotdot_name, 11))
        return -EIO;
    cl = dirent_cluster(ent);
    if (cl != 0 && (cl < 2 || cl > v->max_cluster))
        return -EIO;
    *parent = cl ? cl : v->root_cluster;
    return 0;
}

int fat_dir_set_parent(struct fat_vol *v, uint32_t dir, uint32_t parent)
{
    uint8_t *e;
    int err;

    if (!(e = dirslot_write(v, dir, DOTDOT_SLOT, CACHE_DIR, &err)))
        return err;
    if (memcmp(e + DE_NAME, dotdot_name, 11))
        return -EIO;
    parent = parent == v->root_cluster ? 0 : parent;
    e[DE_CLUS_HI] = (uint8_t)(parent >> 16), e[DE_CLUS_HI + 1] = (uint8_t)(parent >> 24);
    e[DE_CLUS_LO] = (uint8_t)parent, e[DE_CLUS_LO + 1] = (uint8_t)(parent >> 8);
    return 0;
}

static bool is_meta(const struct fat_found *f)
{
    return fat_name_eq(f->name, FAT_META_NAME);
}

int fat_dir_empty(struct fat_vol *v, uint32_t dir, bool *empty)
{
    struct fat_found f;
    uint32_t slot = 0;
    int r;

    *empty = true;
    while ((r = fat_dir_next(v, dir, &slot, &f)) > 0) {
        if (strcmp(f.name, ".") && strcmp(f.name, "..") && !is_meta(&f)) {
            *empty = false;
            return 0;
        }
    }
    return r;
}

int fat_dir_subdirs(struct fat_vol *v, uint32_t dir, uint32_t *count)
{
    struct fat_found f;
    uint32_t slot = 0;
    int r;

    *count = 0;
    while ((r = fat_dir_next(v, dir, &slot, &f)) > 0)
        if ((f.attr & FAT_ATTR_DIR) && strcmp(f.name, ".") && strcmp(f.name, ".."))
            (*count)++;
    return r;
}
