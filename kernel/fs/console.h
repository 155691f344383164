/* kernel/fs/console.h: the kernel console as a file (fd 0/1/2 of init until
 * a console service exists): writes go to every console sink, reads get a
 * line typed on the serial port (echoed, with backspace). */
#ifndef ANVIL_FS_CONSOLE_H
#define ANVIL_FS_CONSOLE_H

#include "fs/file.h"

/* Start taking serial input (IRQ 4, and the tick as a fallback). */
void console_file_init(void);
/* A new file on the console; NULL when out of memory. */
struct file *console_file_open(unsigned flags);

#endif
