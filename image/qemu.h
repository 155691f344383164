/* image/qemu.h: boots a built image in QEMU with the serial console on stdout,
 * and turns the guest's power-off status into mkimage's exit status. */
#ifndef ANVIL_IMAGE_QEMU_H
#define ANVIL_IMAGE_QEMU_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

#include "util.h"

enum qemu_firmware { QEMU_BIOS, QEMU_UEFI };
enum qemu_boot { QEMU_BOOT_ISO, QEMU_BOOT_DISK, QEMU_BOOT_DIRECT };
enum qemu_machine { QEMU_MACHINE_AUTO, QEMU_MACHINE_PC, QEMU_MACHINE_Q35 };
enum qemu_disk_if { QEMU_DISK_IDE, QEMU_DISK_VIRTIO, QEMU_DISK_AHCI, QEMU_DISK_NVME };
enum qemu_nic { QEMU_NIC_VIRTIO, QEMU_NIC_E1000 };
enum qemu_display { QEMU_DISPLAY_TERMINAL, QEMU_DISPLAY_NONE, QEMU_DISPLAY_WINDOW };

#define QEMU_STATUS_TIMEOUT 124     /* as timeout(1) */
#define QEMU_STATUS_NO_STATUS 125   /* QEMU failed, or the guest stopped without a status */

struct qemu_opts {
    enum qemu_firmware firmware;
    enum qemu_boot boot;
    enum qemu_machine machine;  /* AUTO: pc with BIOS, q35 with UEFI */
    enum qemu_disk_if disk_if;  /* how the boot disk is attached (--boot disk) */
    bool writable;              /* --boot disk: no snapshot, the guest writes the image */
    enum qemu_display display;  /* TERMINAL: serial and monitor on this terminal */
    bool headless;              /* no display, no keyboard: scripts and CI */
    int smp;                    /* CPUs; 0 = QEMU's default */
    const char *mem;            /* "256M" ... ; NULL = 256M */
    bool net;                   /* user-mode networking */
    enum qemu_nic nic;          /* its card */
    struct argv forwards;       /* "tcp:HOST:GUEST" port forwards */
    const char *screenshot;     /* PNG of the screen when the guest stops, or NULL */
    int timeout;            /* seconds; 0 = none */
    char *const *extra;     /* QEMU arguments after "--" */
    size_t extra_len;
};

/* Boot the image in outdir; returns the guest's status (0..126), 124 or 125. */
int qemu_run(const struct manifest *m, const char *outdir, const struct qemu_opts *o);
/* Check a --forward spec ([tcp:|udp:]HOSTPORT:GUESTPORT); NULL when bad, else
 * QEMU's hostfwd form. Caller frees. */
char *qemu_forward_rule(const char *spec);
/* Map a QEMU exit code to the guest status (see include/anvil/exit.h). */
int qemu_guest_status(int qemu_code, bool headless);

#endif
