/* kernel/lib/kprintf.h: formatted output to the kernel console (every enabled
 * sink: serial, framebuffer). Formats as in lib/format.h. */
#ifndef ANVIL_LIB_KPRINTF_H
#define ANVIL_LIB_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

size_t kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
size_t kvprintf(const char *fmt, va_list ap);

#endif
