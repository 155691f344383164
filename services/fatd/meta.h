/* services/fatd/meta.h: Unix metadata FAT cannot hold (file type beyond
 * file/directory, permission bits, owner, group), kept per directory in a
 * hidden file, FAT_META_NAME, one text line per name that has any:
 * "MODE UID GID NAME\n" (MODE octal with the S_IF type bits). A symbolic link
 * is a regular FAT file holding its target, with an S_IFLNK line. A name
 * without a line gets the defaults (meta_default). docs/fat.md. */
#ifndef ANVIL_SERVICES_FATD_META_H
#define ANVIL_SERVICES_FATD_META_H

#include <stdint.h>

#include "fat.h"

#define META_FILE_MAX (1024 * 1024)   /* a larger metadata file is read this far */

struct fat_meta {
    uint32_t mode;      /* S_IF* type and permission bits */
    uint32_t uid, gid;
};

/* What a name without a line gets: directories 0755, files 0755 (as Linux's
 * vfat shows them with the usual umask), read-only files without w bits. */
void meta_default(uint8_t attr, struct fat_meta *m);
/* name's metadata in directory dir (a line, else the defaults): 0 or -errno. */
int meta_get(struct fat_vol *v, struct fat_node *dir, const char *name, uint8_t attr,
             struct fat_meta *m);
/* Store name's metadata (a line equal to the defaults is dropped). */
int meta_set(struct fat_vol *v, struct fat_node *dir, const char *name, uint8_t attr,
             const struct fat_meta *m);
/* Forget name's line. */
int meta_remove(struct fat_vol *v, struct fat_node *dir, const char *name);
/* Drop what is cached for directory cluster dir (it was removed). */
void meta_forget(struct fat_vol *v, uint32_t dir);
/* Free the volume's cached tables. */
void meta_free(struct fat_vol *v);

#endif
