/* kernel/scheme/textfile.h: a read-only file over a kernel buffer made at
 * open time (sys: and time: files are snapshots of kernel state). */
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

#endif
