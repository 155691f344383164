/* image/usbwrite.h: `mkimage write IMAGE DEVICE`: a careful dd of an image onto a
 * USB stick or other removable disk, refusing anything that looks like a system disk. */
#ifndef ANVIL_IMAGE_USBWRITE_H
#define ANVIL_IMAGE_USBWRITE_H

#include <stdbool.h>

/* Check that device is a whole, removable (or USB), unmounted block device at
 * least as large as image; ask on /dev/tty unless yes; write, sync, read back
 * and compare. Returns 0 on success, 1 on any refusal or failure (each with a
 * "mkimage: write: ..." message). */
int usbwrite_run(const char *image, const char *device, bool yes);

#endif
