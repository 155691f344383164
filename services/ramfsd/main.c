/* services/ramfsd/main.c: serves `file` (plain /paths) from RAM: seeds the
 * tree, then registers the scheme and serves it. Usage:
 * ramfsd [SCHEME [SEED]] (defaults: file, initfs:/). SEED is a directory of
 * another scheme, copied, or a cpio newc archive, unpacked. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ops.h"
#include "ramfs.h"

static int seed_from(const char *seed)
{
    struct stat st;

    if (stat(seed, &st) < 0)
        return -errno;
    if (S_ISREG(st.st_mode))
        return ramfs_seed_cpio(seed);
    return ramfs_seed_tree(seed, ramfs_root());
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "file";
    const char *seed = argc > 2 ? argv[2] : "initfs:/";
    int fd, err;

    if (!ramfs_root()) {
        svc_log("ramfsd: out of memory");
        return 1;
    }
    if ((err = seed_from(seed)) < 0)
        svc_log("ramfsd: seeding from %s: %s (serving what was copied)", seed, strerror(-err));
    if ((fd = svc_register(name)) < 0) {
        svc_log("ramfsd: cannot register %s: %s", name, strerror(-fd));
        return 1;
    }
    return svc_serve(fd, &ramfs_ops) < 0 ? 1 : 0;
}
