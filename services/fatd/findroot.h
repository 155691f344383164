/* services/fatd/findroot.h: which disk holds the root: the first disk.NAME:
 * scheme whose disk has a GPT partition labelled FATD_ROOT_LABEL. */
#ifndef ANVIL_SERVICES_FATD_FINDROOT_H
#define ANVIL_SERVICES_FATD_FINDROOT_H

#include <stddef.h>

#include "blk.h"

/* mkimage's label for the root partition (image/disk.c). */
#define FATD_ROOT_LABEL "Anvil root"

/* Try the disk schemes (disks[0..n), "disk.virtio" ...) in order, again every
 * 100 ms while one of them is not served yet and init says another service is
 * still starting (init: in the namespace), for at most wait_ms: 0 with the
 * partition open in *out and its path in path, or -ENOENT. */
int fatd_find_root(char *const *disks, int n, int wait_ms, char *path, size_t size,
                   struct blk **out);

#endif
