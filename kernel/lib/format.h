/* kernel/lib/format.h: printf-style formatting into any sink.
 * Conversions: %d %i %u %x %X %p %c %s %%, length l/ll/z, flags '-' and '0',
 * and a field width (e.g. %08lx, %-10s). */
#ifndef ANVIL_LIB_FORMAT_H
#define ANVIL_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted text in pieces. */
typedef void (*fmt_sink_fn)(void *ctx, const char *s, size_t n);

/* Format into sink; returns the number of characters produced. */
size_t fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/* snprintf: always terminates when size > 0; returns the untruncated length. */
size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
