/* include/anvil/exit.h: how the kernel reports an exit status to the host.
 * Shared by the kernel (power off) and mkimage (turning QEMU's exit code back
 * into the guest's status). Host-safe: macros only. */
#ifndef ANVIL_EXIT_H
#define ANVIL_EXIT_H

/* Guest statuses: 0..ANVIL_EXIT_STATUS_MAX, like a process exit status. */
#define ANVIL_EXIT_SUCCESS 0
#define ANVIL_EXIT_FAILURE 1
#define ANVIL_EXIT_PANIC 100       /* a kernel panic */
#define ANVIL_EXIT_STATUS_MAX 126  /* (126 + 1) << 1 | 1 = 255 still fits a host exit code */

/*
 * Under QEMU the kernel writes a 32-bit value to isa-debug-exit
 * (-device isa-debug-exit,iobase=0xf4,iosize=0x04) and QEMU exits with
 * (value << 1) | 1. The kernel writes status + 1, so the host sees
 * ((status + 1) << 1) | 1, an odd code >= 3:
 *
 *   guest status 0   -> QEMU exit 3
 *   guest status 5   -> QEMU exit 13
 *   guest panic 100  -> QEMU exit 203
 *
 * QEMU's own codes 0 (guest shut down some other way, or "quit") and
 * 1 (QEMU error) can never be mistaken for a guest status.
 */
#define ANVIL_QEMU_EXIT_PORT 0xf4
#define ANVIL_QEMU_EXIT_VALUE(status) ((unsigned)(status) + 1u)
#define ANVIL_QEMU_EXIT_CODE(status) ((((unsigned)(status) + 1u) << 1) | 1u)

/* True when a QEMU exit code carries a guest status. */
#define ANVIL_QEMU_CODE_IS_STATUS(code) ((code) >= 3 && ((code) & 1))
/* The guest status in a QEMU exit code for which ANVIL_QEMU_CODE_IS_STATUS holds. */
#define ANVIL_QEMU_CODE_TO_STATUS(code) (((code) >> 1) - 1)

#endif
