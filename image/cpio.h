/* image/cpio.h: writes "newc" cpio archives (the Linux initramfs format), so any
 * initfs can be inspected with `cpio -t`. */
#ifndef ANVIL_IMAGE_CPIO_H
#define ANVIL_IMAGE_CPIO_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct cpio_writer {
    struct strbuf out;
    uint32_t next_ino;
    long long mtime;    /* every entry gets this time: reproducible archives */
};

void cpio_add_dir(struct cpio_writer *w, const char *name, unsigned perm);
void cpio_add_file(struct cpio_writer *w, const char *name, unsigned perm,
                   const void *data, size_t len);
void cpio_add_symlink(struct cpio_writer *w, const char *name, const char *target);
/* Append the trailer; w->out then holds the whole archive. */
void cpio_finish(struct cpio_writer *w);

#endif
