/* services/bulkd/main.c: the bulk: scheme, for measuring the scheme protocol
 * itself: every read fills the whole buffer with a byte pattern, every write is
 * taken whole, and nothing is stored (a user-space /dev/zero). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "svc.h"

#define BULK_PATTERN 0xa5

static long bulk_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    (void)c, (void)path, (void)flags, (void)mode;
    return 0;   /* every open is the same endless stream */
}

static long bulk_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    (void)c, (void)h, (void)off;
    memset(buf, BULK_PATTERN, len);
    return (long)len;
}

static long bulk_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    (void)c, (void)h, (void)buf, (void)off;
    return (long)len;
}

static long bulk_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    (void)c, (void)h;
    st->mode = S_IFCHR | 0666;
    return 0;
}

static long bulk_close(struct svc_ctx *c, uint64_t h)
{
    (void)c, (void)h;
    return 0;
}

static const struct scheme_ops bulk_ops = {
    .open = bulk_open, .read = bulk_read, .write = bulk_write,
    .fstat = bulk_fstat, .close = bulk_close,
};

int main(void)
{
    int fd = svc_register("bulk");

    if (fd < 0) {
        svc_log("bulkd: cannot register bulk: %s", strerror(-fd));
        return 1;
    }
    return svc_serve(fd, &bulk_ops) < 0 ? 1 : 0;
}
