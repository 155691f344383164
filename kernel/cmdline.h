/* kernel/cmdline.h: reading options from the kernel command line, a list of
 * words separated by spaces: "key=value" or a bare "key". */
#ifndef ANVIL_CMDLINE_H
#define ANVIL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Copy the value of the last "key=value" word into buf ("" for a bare key).
 * False if key is absent or its value does not fit in size bytes. */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

/* The words after a "--" word: the program PID 1 runs and its arguments,
 * copied into buf with pointers in argv. Returns their count (0: none), or
 * -1 if they do not fit. Options before "--" are the kernel's (cmdline_get
 * stops there). */
int cmdline_init_argv(const char *cmdline, char *buf, size_t size, const char **argv, int max);

#endif
