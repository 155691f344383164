/* kernel/fs/console.h: the kernel console as a terminal file (fd 0/1/2 of
 * init until a console service exists): writes go to every console sink,
 * reads get what is typed on the serial port or handed in by a keyboard
 * service (debug:input) through the tty core's line discipline (tty.h). */
#ifndef ANVIL_FS_CONSOLE_H
#define ANVIL_FS_CONSOLE_H

#include "fs/file.h"

/* Start taking serial input (IRQ 4, and the tick as a fallback). */
void console_file_init(void);
/* Bytes typed on a keyboard: through input processing exactly as if they
 * came from the serial line (echo, editing, ^C to the foreground group). */
void console_receive(const char *buf, size_t n);
/* Back to the kernel's own 80x25 window (a console service went). */
void console_default_size(void);
/* A new file on the console; NULL when out of memory. Without O_NOCTTY a
 * session leader that has no controlling terminal gets the console as its
 * own, if no other session has it. */
struct file *console_file_open(unsigned flags);

#endif
