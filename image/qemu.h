/* image/qemu.h: boots a built image in QEMU with the serial console on stdout,
 * and turns the guest's power-off status into mkimage's exit status. */
#ifndef ANVIL_IMAGE_QEMU_H
#define ANVIL_IMAGE_QEMU_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

enum qemu_firmware { QEMU_BIOS, QEMU_UEFI };
enum qemu_boot { QEMU_BOOT_ISO, QEMU_BOOT_DIRECT };

#define QEMU_STATUS_TIMEOUT 124     /* as timeout(1) */
#define QEMU_STATUS_NO_STATUS 125   /* QEMU failed, or the guest stopped without a status */

struct qemu_opts {
    enum qemu_firmware firmware;
    enum qemu_boot boot;
    bool headless;
    int timeout;            /* seconds; 0 = none */
    char *const *extra;     /* QEMU arguments after "--" */
    size_t extra_len;
};

/* Boot the image in outdir; returns the guest's status (0..126), 124 or 125. */
int qemu_run(const struct manifest *m, const char *outdir, const struct qemu_opts *o);
/* Map a QEMU exit code to the guest status (see include/anvil/exit.h). */
int qemu_guest_status(int qemu_code, bool headless);

#endif
