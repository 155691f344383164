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

/* The boot framebuffer, or NULL when the loader gave none usable. */
const struct boot_framebuffer *con_framebuffer(void);

/* The last bytes the screen showed before a service took it (at most size;
 * newlines as CR LF), oldest first, into buf: how many. */
size_t con_screen_history(char *buf, size_t size);
/* While take is set, the characters for the screen go to it instead of
 * fbcon (a console service draws them); NULL gives the screen back to fbcon,
 * which clears it. The panic path gives it back first. */
void con_set_screen_taker(void (*take)(char c));

/* To the serial port alone (what a screen taker was handed otherwise). */
void con_serial_write(const char *s, size_t n);

void con_putc(char c);
void con_write(const char *s, size_t n);

/* Start a new line unless the cursor is already at column 0. */
void con_begin_line(void);

/* Wait until output has physically left (before power off). */
void con_flush(void);

#endif
