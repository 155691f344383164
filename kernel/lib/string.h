/* kernel/lib/string.h: the libc string and memory functions the kernel needs
 * (gcc may also emit calls to memcpy, memmove, memset and memcmp itself). */
#ifndef ANVIL_LIB_STRING_H
#define ANVIL_LIB_STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Copy at most size - 1 bytes and always terminate (size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/* Parse a whole decimal string: 0, or -EINVAL (empty, not a number), -ERANGE. */
int str_to_u64(const char *s, uint64_t *out);

#endif
