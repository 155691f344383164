/* include/anvil/syscall.h: Anvil-only system calls (numbers from 1024 up, past
 * every Linux number) and their argument types. Shared by the kernel and
 * services/lib. Call them with syscall(2): syscall(ANVIL_SYS_NS_RESTRICT, ...). */
#ifndef ANVIL_SYSCALL_H
#define ANVIL_SYSCALL_H

#include <stdint.h>

#define ANVIL_SYS_BASE 1024

/*
 * long ns_restrict(const char *names, size_t len)
 * Keep only the named schemes in the calling process's namespace (the set of
 * scheme names it may open or register; a reserved name also needs the
 * provides set, see scheme_reserve). names: len bytes of scheme names
 * separated by spaces, commas or NULs; "*" keeps the whole current set. A name
 * not in the current set is EPERM and nothing changes: a set only narrows.
 * Children inherit the namespace at fork. 0 or -errno.
 */
#define ANVIL_SYS_NS_RESTRICT 1024

/*
 * long grant_restrict(const struct anvil_grant *grants, size_t count)
 * Keep only these grants (the privileged resources: physical memory ranges,
 * interrupt lines, I/O port ranges, powering off, signalling any process).
 * PID 1 starts with the grants on the kernel command line (grants=...) and
 * nothing else. Each must lie inside a grant the process holds now, else
 * EPERM and nothing changes. count 0 drops every grant. I/O ports opened
 * through ioport: that the new set no longer covers are closed at once. At
 * most ANVIL_GRANTS_MAX. 0 or -errno.
 */
#define ANVIL_SYS_GRANT_RESTRICT 1025

/*
 * long ns_get(char *buf, size_t len)
 * The namespace as text: "*\n" when unrestricted, else the names separated by
 * spaces and a final "\n". The length written (-ERANGE if it does not fit).
 */
#define ANVIL_SYS_NS_GET 1026

/*
 * long scheme_reserve(const char *names, size_t len)
 * Reserve scheme names (same list syntax as ns_restrict) for the rest of the
 * boot: from then on only a process whose provides set holds a name may
 * register it, even while no one serves it (a service that restarts keeps
 * its name). Only PID 1 may reserve (else EPERM); init reserves what the
 * service table's services provide, and its own init. EINVAL for a bad
 * name, ENOSPC past ANVIL_RESERVED_MAX names. 0 or -errno.
 */
#define ANVIL_SYS_SCHEME_RESERVE 1027

/*
 * long provides_restrict(const char *names, size_t len)
 * Keep only these names in the calling process's provides set: the reserved
 * names it may register. PID 1 starts with every name; a name not held is
 * EPERM and nothing changes. Inherited at fork, kept across exec. init gives
 * each service its `provides` and every other child none. 0 or -errno.
 */
#define ANVIL_SYS_PROVIDES_RESTRICT 1028

/*
 * long mount_describe(const struct anvil_mount_desc *d)
 * A daemon tells the kernel what the scheme it serves holds, for
 * /proc/mounts: the source (a device, an image) and the file system type,
 * which the kernel cannot know. Only the process that registered d->scheme
 * may describe it (else EPERM; ENODEV when no one serves it). Each string is
 * NUL-terminated, 1 byte or more of printable ASCII without spaces (write a
 * space as \040, as Linux's /proc/mounts does), else EINVAL. The description
 * goes with the scheme when its daemon exits. 0 or -errno.
 */
#define ANVIL_SYS_MOUNT_DESCRIBE 1029

#define ANVIL_GRANTS_MAX 16
#define ANVIL_NS_NAMES_MAX 32
#define ANVIL_PROVIDES_MAX 8      /* names in one provides set */
#define ANVIL_RESERVED_MAX 32     /* reserved names in all */

enum anvil_grant_kind {
    ANVIL_GRANT_MEMORY = 1,     /* physical addresses [start, end] (memory: scheme) */
    ANVIL_GRANT_IRQ = 2,        /* interrupt lines [start, end] (irq: scheme) */
    ANVIL_GRANT_IOPORT = 3,     /* I/O ports [start, end] (ioport: scheme) */
    ANVIL_GRANT_POWER = 4,      /* may power the machine off (reboot(2)); start = end = 0 */
    ANVIL_GRANT_SIGNAL = 5,     /* may signal any process (supervisors); start = end = 0 */
    ANVIL_GRANT_DMA = 6,        /* may allocate DMA buffers (dma: scheme); start = end = 0 */
    ANVIL_GRANT_CONSOLE_INPUT = 7,  /* may type into the console (debug:input); start = end = 0 */
    ANVIL_GRANT_CONSOLE_OUTPUT = 8, /* may take the console's screen output (debug:output); 0 */
    ANVIL_GRANT_FRAMEBUFFER = 9,    /* may map the boot framebuffer (memory:, sys:framebuffer); 0 */
};
#define ANVIL_GRANT_KIND_LAST ANVIL_GRANT_FRAMEBUFFER

/* irq: numbers past the ISA lines name no line: an irq grant covering
 * ANVIL_IRQ_MSI (irq:16 in config.toml) lets its holder open irq:msi, an MSI
 * vector of its own. pread(fd, &msg, sizeof(msg), 0) on it gives the message
 * its device must write to raise it (PCI 3.0 §6.8.1: the MSI capability's
 * address and data). */
#define ANVIL_IRQ_MSI 16

struct anvil_irq_msi {
    uint64_t address;
    uint32_t data;
    uint32_t vector;            /* for logs: the CPU vector it arrives on */
};
_Static_assert(sizeof(struct anvil_irq_msi) == 16, "ABI: an MSI message is 16 bytes");

#define ANVIL_MOUNT_SOURCE_MAX 64
#define ANVIL_MOUNT_TYPE_MAX 16

struct anvil_mount_desc {
    char scheme[32];                        /* the caller's scheme: "file" */
    char source[ANVIL_MOUNT_SOURCE_MAX];    /* "disk.nvme:0/Anvil\040root" */
    char type[ANVIL_MOUNT_TYPE_MAX];        /* "vfat" */
};
_Static_assert(sizeof(struct anvil_mount_desc) == 112, "ABI: a mount description is 112 bytes");

struct anvil_grant {
    uint32_t kind;              /* enum anvil_grant_kind */
    uint32_t reserved;          /* 0 */
    uint64_t start, end;        /* inclusive range */
};
_Static_assert(sizeof(struct anvil_grant) == 24, "ABI: a grant is 24 bytes");

/*
 * Powering off: Linux reboot(2) (nr 169) with magic 0xfee1dead, 672274793 and
 * cmd LINUX_REBOOT_CMD_POWER_OFF (0x4321fedc); Anvil reads the fourth argument
 * as the exit status to power off with (0..126, see anvil/exit.h). Allowed only
 * to PID 1 and to holders of ANVIL_GRANT_POWER; anyone else gets EPERM.
 */
#define ANVIL_REBOOT_MAGIC1 0xfee1deadu
#define ANVIL_REBOOT_MAGIC2 672274793u
#define ANVIL_REBOOT_POWER_OFF 0x4321fedcu

#endif
