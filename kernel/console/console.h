/* kernel/console/console.h: the kernel console, which fans every character
 * out to the sinks compiled in and present: the serial port (feature
 * "serial") and the framebuffer console (feature "fbcon"). */
#ifndef ANVIL_CONSOLE_CONSOLE_H
#define ANVIL_CONSOLE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/boot_info.h"

/* Bring up the sinks that need no boot information (the serial port). */
void con_init(void);

/* Add the framebuffer console if fbcon is compiled in and fb is usable. */
bool con_attach_fb(const struct boot_framebuffer *fb);

void con_putc(char c);
void con_write(const char *s, size_t n);

/* Start a new line unless the cursor is already at column 0. */
void con_begin_line(void);

/* Wait until output has physically left (before power off). */
void con_flush(void);

#endif
