/* services/ramfsd/main.c: serves `file` (plain /paths) from RAM: copies the
 * initfs tree in, then registers the scheme and serves it. Usage:
 * ramfsd [SCHEME [SEED]] (defaults: file, initfs:/). */
#include <string.h>

#include "ops.h"
#include "ramfs.h"

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "file";
    const char *seed = argc > 2 ? argv[2] : "initfs:/";
    struct ramfs_node *root = ramfs_root();
    int fd, err;

    if (!root) {
        svc_log("ramfsd: out of memory");
        return 1;
    }
    if ((err = ramfs_seed(seed, root)) < 0)
        svc_log("ramfsd: seeding from %s: %s (serving what was copied)", seed, strerror(-err));
    if ((fd = svc_register(name)) < 0) {
        svc_log("ramfsd: cannot register %s: %s", name, strerror(-fd));
        return 1;
    }
    return svc_serve(fd, &ramfs_ops) < 0 ? 1 : 0;
}
