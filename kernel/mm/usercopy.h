/* kernel/mm/usercopy.h: the only way the kernel touches user memory. Every
 * byte is checked against the current address space's areas and reached
 * through the direct map, so a bad user pointer is -EFAULT, never a kernel
 * fault (and SMAP never trips). */
#ifndef ANVIL_MM_USERCOPY_H
#define ANVIL_MM_USERCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 0 or -EFAULT (or -ENOMEM when a lazy page cannot be had). On error part of
 * the data may have been copied. */
int copy_from_user(void *dst, uintptr_t usrc, size_t n);
int copy_to_user(uintptr_t udst, const void *src, size_t n);
/* Zero n user bytes. */
int clear_user(uintptr_t udst, size_t n);
/* True if [uaddr, uaddr + n) lies in user space, inside mapped areas of the
 * current address space (checked up front, no page is faulted in). */
bool user_range_ok(uintptr_t uaddr, size_t n);

/* Copy a NUL-terminated string of at most max - 1 characters: its length,
 * -EFAULT, or -ENAMETOOLONG when it does not fit. */
long strncpy_from_user(char *dst, uintptr_t usrc, size_t max);

#endif
