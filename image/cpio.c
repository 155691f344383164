/* image/cpio.c: writes "newc" cpio archives (the Linux initramfs format), so any
 * initfs can be inspected with `cpio -t`. */
#include "cpio.h"

#include <string.h>

#define CPIO_NEWC_MAGIC "070701"    /* "new ASCII" format, cpio(5) */
#define CPIO_ALIGN 4
#define CPIO_TRAILER "TRAILER!!!"
#define CPIO_TYPE_DIR 0040000   /* C_ISDIR, cpio(5) */
#define CPIO_TYPE_FILE 0100000  /* C_ISREG */
#define CPIO_TYPE_LINK 0120000  /* C_ISLNK: the data is the target, without a NUL */

static void pad(struct cpio_writer *w)
{
    static const char zeros[CPIO_ALIGN];

    if (w->out.len % CPIO_ALIGN)
        sb_add(&w->out, zeros, CPIO_ALIGN - w->out.len % CPIO_ALIGN);
}

static void entry(struct cpio_writer *w, const char *name, unsigned mode, unsigned nlink,
                  const void *data, size_t len)
{
    uint32_t ino = name[0] && strcmp(name, CPIO_TRAILER) ? ++w->next_ino : 0;

    /* fields: ino mode uid gid nlink mtime filesize devmajor devminor
     * rdevmajor rdevminor namesize check */
    sb_printf(&w->out, "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
              CPIO_NEWC_MAGIC, ino, mode, 0, 0, nlink, (unsigned)w->mtime, (unsigned)len,
              0, 0, 0, 0, (unsigned)strlen(name) + 1, 0);
    sb_add(&w->out, name, strlen(name) + 1);
    pad(w);
    if (len)
        sb_add(&w->out, data, len);
    pad(w);
}

void cpio_add_dir(struct cpio_writer *w, const char *name, unsigned perm)
{
    entry(w, name, CPIO_TYPE_DIR | (perm & 07777), 2, NULL, 0);
}

void cpio_add_file(struct cpio_writer *w, const char *name, unsigned perm,
                   const void *data, size_t len)
{
    entry(w, name, CPIO_TYPE_FILE | (perm & 07777), 1, data, len);
}

void cpio_add_symlink(struct cpio_writer *w, const char *name, const char *target)
{
    entry(w, name, CPIO_TYPE_LINK | 0777, 1, target, strlen(target));
}

void cpio_finish(struct cpio_writer *w)
{
    entry(w, CPIO_TRAILER, 0, 1, NULL, 0);
}
