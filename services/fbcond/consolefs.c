/* services/fbcond/consolefs.c: the console: scheme, read-only files about
 * the terminals: "vtN/text" the screen's characters now (one line a row,
 * trailing blanks dropped), "vtN/tty" the path of the terminal's tty (for
 * init, which starts shells on them), "active" the terminal shown (1..N).
 * Each file is a snapshot taken when it is opened. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "console.h"

#define FILES_MAX 16

struct snapshot {
    char *data;            /* NULL: the slot is free */
    size_t len;
};

static struct console *con;
static struct snapshot files[FILES_MAX];

void consolefs_attach(struct console *c)
{
    con = c;
}

/* The screen's rows as text: a malloc'd buffer. */
static char *screen_text(const struct vt *v, size_t *len)
{
    char *s = malloc((size_t)v->rows * ((size_t)v->cols + 1) + 1), *p = s;

    if (!s)
        return NULL;
    for (int y = 0; y < v->rows; y++) {
        char *row = p;
        for (int x = 0; x < v->cols; x++)
            *p++ = (char)vt_cell_at(v, x, y)->ch;
        while (p > row && p[-1] == ' ')
            p--;
        *p++ = '\n';
    }
    *len = (size_t)(p - s);
    return s;
}

static char *line_text(const char *line, size_t *len)
{
    char *s = malloc(strlen(line) + 2);

    if (s)
        *len = (size_t)sprintf(s, "%s\n", line);
    return s;
}

/* "vtN/WHAT": the terminal's index, and WHAT; -1 for no such terminal. */
static int parse_vt(const char *path, const char **what)
{
    int n, used = 0;

    if (sscanf(path, "vt%d/%n", &n, &used) != 1 || used == 0 || n < 1 || n > con->count)
        return -1;
    *what = path + used;
    return n - 1;
}

static char *snapshot_of(const char *path, size_t *len)
{
    const char *what;
    char num[16];
    int i;

    if (strcmp(path, "active") == 0) {
        snprintf(num, sizeof(num), "%d", con->active + 1);
        return line_text(num, len);
    }
    if ((i = parse_vt(path, &what)) < 0)
        return NULL;
    if (strcmp(what, "text") == 0)
        return screen_text(&con->term[i].vt, len);
    if (strcmp(what, "tty") == 0)
        return line_text(con->term[i].tty, len);
    return NULL;
}

static long fs_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    (void)c, (void)mode;
    if ((flags & O_ACCMODE) != O_RDONLY)
        return -EACCES;
    for (int h = 0; h < FILES_MAX; h++) {
        if (files[h].data)
            continue;
        errno = 0;
        if (!(files[h].data = snapshot_of(path, &files[h].len)))
            return errno == ENOMEM ? -ENOMEM : -ENOENT;
        return h;
    }
    return -EMFILE;
}

static struct snapshot *get(uint64_t h)
{
    return h < FILES_MAX && files[h].data ? &files[h] : NULL;
}

static long fs_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct snapshot *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    if (off >= f->len)
        return 0;
    if (len > f->len - off)
        len = f->len - off;
    memcpy(buf, f->data + off, len);
    return (long)len;
}

static long fs_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct snapshot *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    st->mode = S_IFREG | 0444;
    st->ino = h + 1;
    st->size = f->len;
    return 0;
}

static long fs_close(struct svc_ctx *c, uint64_t h)
{
    struct snapshot *f = get(h);

    (void)c;
    if (!f)
        return -EBADF;
    free(f->data);
    f->data = NULL;
    return 0;
}

const struct scheme_ops consolefs_ops = {
    .open = fs_open, .read = fs_read, .fstat = fs_fstat, .close = fs_close,
};
