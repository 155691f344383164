/* kernel/proc/fork.h: clone in all its forms: fork (copy-on-write),
 * vfork-style (shared memory, parent waits until exec or exit), threads. */
#ifndef ANVIL_PROC_FORK_H
#define ANVIL_PROC_FORK_H

#include <stdint.h>

#include "arch/x86_64/regs.h"

/* clone(2) flags, Linux values. */
#define CLONE_VM 0x00000100ul
#define CLONE_FS 0x00000200ul
#define CLONE_FILES 0x00000400ul
#define CLONE_SIGHAND 0x00000800ul
#define CLONE_PIDFD 0x00001000ul
#define CLONE_PTRACE 0x00002000ul
#define CLONE_VFORK 0x00004000ul
#define CLONE_PARENT 0x00008000ul
#define CLONE_THREAD 0x00010000ul
#define CLONE_NEWNS 0x00020000ul
#define CLONE_SYSVSEM 0x00040000ul
#define CLONE_SETTLS 0x00080000ul
#define CLONE_PARENT_SETTID 0x00100000ul
#define CLONE_CHILD_CLEARTID 0x00200000ul
#define CLONE_DETACHED 0x00400000ul
#define CLONE_UNTRACED 0x00800000ul
#define CLONE_CHILD_SETTID 0x01000000ul
#define CLONE_SIGNAL_MASK 0xfful

/* The new pid/tid, or -EINVAL, -ENOMEM, -EFAULT. r is the caller's frame. */
long proc_clone(uint64_t flags, uintptr_t newsp, uintptr_t ptid, uintptr_t ctid, uintptr_t tls,
                const struct x86_regs *r);

#endif
