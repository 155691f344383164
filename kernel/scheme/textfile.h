/* kernel/scheme/textfile.h: a read-only file over a kernel buffer made at
 * open time (sys:, time: and proc: files are snapshots of kernel state), and
 * snapshot directories listed the same way. */
#ifndef ANVIL_SCHEME_TEXTFILE_H
#define ANVIL_SCHEME_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "fs/file.h"

/* A growing text buffer for building a snapshot. */
struct textbuf {
    char *data;
    size_t len, cap;
    bool failed;     /* out of memory: the open fails with -ENOMEM */
};

void textbuf_printf(struct textbuf *tb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void textbuf_append(struct textbuf *tb, const char *s, size_t n);
/* Turn tb into an open file (it takes the buffer): 0 and *out, -ENOMEM,
 * -EROFS (write access asked). mode: S_IFREG or S_IFDIR for listings. */
int textfile_open(struct textbuf *tb, unsigned flags, unsigned mode, struct file **out);

/* A directory snapshot: tb holds one name a line, "name/" for a directory,
 * "name@" for a symbolic link, "name?" when only stat can tell (DT_UNKNOWN),
 * plain "name" for anything else. read() gives
 * those lines, getdents64 the entries (the suffix becomes d_type). path is
 * its canonical name ("proc:/1"), for openat and fchdir. Errors as
 * textfile_open, and -ENAMETOOLONG. */
int textfile_open_dir(struct textbuf *tb, unsigned flags, const char *path, struct file **out);
/* Add one entry to a directory snapshot; type is 0, '/', '@' or '?' as above. */
void textbuf_dirent(struct textbuf *tb, const char *name, char type);

#endif
