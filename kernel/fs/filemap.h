/* kernel/fs/filemap.h: mmap of a file as a private copy: fresh anonymous
 * pages filled through the file's own pread, so a file type never exposes
 * its internals to mmap. The mmap op of initfs and user-scheme files. */
#ifndef ANVIL_FS_FILEMAP_H
#define ANVIL_FS_FILEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs/file.h"

/* Map [addr, addr + len) (page aligned, free) in the running process, fill
 * it from f at off with f->ops->pread (bytes past the end stay zero), then
 * give it prot: 0 or -errno (nothing stays mapped). */
long filemap_private(struct file *f, uintptr_t addr, size_t len, unsigned prot, uint64_t off);

#endif
