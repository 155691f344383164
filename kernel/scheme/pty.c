/* kernel/scheme/pty.c: the pty: scheme, also /dev/ptmx and /dev/pts (route.c):
 * "ptmx" opens a new pseudo-terminal pair (fs/pty.c), "pts" lists the live
 * ones and "pts/N" opens the slave of pair N. */
#include "fs/pty.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "scheme/kschemes.h"
#include "scheme/textfile.h"

#define PTMX "ptmx"
#define PTS "pts"
#define PTS_PREFIX "pts/"
#define PTS_PREFIX_LEN 4
#define PTS_PATH "/dev/pts"
#define INDEX_DIGITS_MAX 3     /* PTY_MAX <= 256 */
#define PTS_DIR_INO 2

/* N of "pts/N" in *n: a decimal number without leading zeros, below
 * PTY_MAX; false for anything else. */
static bool pts_index(const char *path, unsigned *n)
{
    const char *d = path + PTS_PREFIX_LEN;
    size_t len = strlen(d);
    unsigned v = 0;

    if (strncmp(path, PTS_PREFIX, PTS_PREFIX_LEN) != 0 || len == 0 || len > INDEX_DIGITS_MAX ||
        (d[0] == '0' && len > 1))
        return false;
    for (size_t i = 0; i < len; i++) {
        if (d[i] < '0' || d[i] > '9')
            return false;
        v = v * 10 + (unsigned)(d[i] - '0');
    }
    *n = v;
    return v < PTY_MAX;
}

static int open_pts_dir(unsigned flags, struct file **out)
{
    struct textbuf tb = {0};
    char name[INDEX_DIGITS_MAX + 1];

    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
        return -EISDIR;
    for (unsigned n = 0; n < PTY_MAX; n++) {
        if (!pty_live(n))
            continue;
        ksnprintf(name, sizeof(name), "%u", n);
        textbuf_dirent(&tb, name, 0);
    }
    return textfile_open_dir(&tb, flags, PTS_PATH, out);
}

static int pty_scheme_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                           struct file **out)
{
    unsigned n;

    (void)s, (void)mode;
    if (strcmp(path, PTMX) == 0)
        return pty_open_master(flags & (O_ACCMODE | O_NONBLOCK), out);
    if (strcmp(path, PTS) == 0)
        return open_pts_dir(flags, out);
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    if (!pts_index(path, &n))
        return -ENOENT;
    return pty_open_slave(n, flags & (O_ACCMODE | O_NONBLOCK | O_APPEND | O_NOCTTY), out);
}

/* stat without opening: opening ptmx would make a pair, and opening a
 * slave could make it a controlling terminal (musl's ttyname stats it). */
static int pty_scheme_stat(struct scheme *s, const char *path, unsigned flags, struct kstat *st)
{
    unsigned n;

    (void)s, (void)flags;
    if (strcmp(path, PTMX) == 0) {
        pty_master_stat(st);
        return 0;
    }
    if (strcmp(path, PTS) == 0) {
        memset(st, 0, sizeof(*st));
        st->st_mode = S_IFDIR | 0755;
        st->st_ino = PTS_DIR_INO;
        st->st_nlink = 2;
        return 0;
    }
    if (!pts_index(path, &n))
        return -ENOENT;
    return pty_slave_stat(n, st);
}

static const struct scheme_ops pty_ops = {.open = pty_scheme_open, .stat = pty_scheme_stat};
static struct scheme pty_scheme = {.name = "pty", .ops = &pty_ops};

void kscheme_pty_init(void)
{
    scheme_register(&pty_scheme);
}
