/* kernel/scheme/mount.h: mount points. A folder of the root file system
 * (/mnt/usb) whose paths go to another user scheme: a second volume's
 * daemon. mount(2) and umount2(2) change the table (syscall/mount.c); the
 * router consults it for plain paths. */
#ifndef ANVIL_SCHEME_MOUNT_H
#define ANVIL_SCHEME_MOUNT_H

#include <stdbool.h>

#include "scheme/route.h"

#define MOUNT_MAX 8

/* When sp (a plain path) is at or below a mount point: sp's scheme becomes
 * the mounted one, rest the path below the point, at the point. */
bool mount_route(struct scheme_path *sp);
/* Mount scheme at at (normalised, no leading '/'): 0, -EBUSY (a mount
 * point already, or the scheme is mounted), -ENOMEM (table full),
 * -ENAMETOOLONG. */
int mount_add(const char *at, const char *scheme);
/* Remove the mount at at, its scheme's name into scheme: 0 or -EINVAL (not
 * a mount point). */
int mount_remove(const char *at, char scheme[SCHEME_NAME_MAX + 1]);
/* Where scheme is mounted (no leading '/'), or NULL. */
const char *mount_point(const char *scheme);
/* The scheme of the n-th mount, or NULL past the last. */
const char *mount_nth(int n);
/* Flush a scheme's volume: an FSYNC on its root (a daemon flushes its whole
 * volume on any fsync); errors are the daemon's to report. */
void mount_sync(const char *scheme);
/* mount_sync of every mounted scheme (sync(2)). */
void mount_sync_all(void);

#endif
