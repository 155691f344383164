/* kernel/lib/errno.h: the errno values the kernel uses so far. They are
 * Linux's numbers (asm-generic/errno-base.h), as the syscall ABI requires. */
#ifndef ANVIL_LIB_ERRNO_H
#define ANVIL_LIB_ERRNO_H

#define ENOENT 2
#define ENOMEM 12
#define EINVAL 22
#define ERANGE 34

#endif
