/* kernel/lib/klog.h: a ring buffer of the kernel's own messages (everything
 * kprintf prints), read back through sys:log. */
#ifndef ANVIL_LIB_KLOG_H
#define ANVIL_LIB_KLOG_H

#include <stddef.h>

#define KLOG_SIZE 16384

void klog_write(const char *s, size_t n);
/* Copy the log, oldest byte first, into buf: the length (at most KLOG_SIZE). */
size_t klog_copy(char *buf, size_t size);

#endif
