/* kernel/fs/console_output.h: debug:output, where a console service holding
 * the console-output grant reads what the console would draw on the screen,
 * and draws it itself. */
#ifndef ANVIL_FS_CONSOLE_OUTPUT_H
#define ANVIL_FS_CONSOLE_OUTPUT_H

#include "fs/file.h"

#define CONSOLE_OUTPUT_PATH "output"   /* debug:output */

/* The one reader: 0, -EACCES (no grant), -EINVAL (not O_RDONLY), -EBUSY
 * (another reader is attached), -ENOMEM. While it is open the kernel's fbcon
 * does not draw; when it closes (the service exited) fbcon draws again. */
int console_output_open(unsigned flags, struct file **out);
/* Is a reader attached (the screen's bytes go to it)? */
bool console_output_attached(void);
/* Queue output-processed bytes of the console tty for the reader: the count
 * taken. With may_sleep, waits while the ring is full: then all of n, or
 * what was taken before a signal (-EINTR if none). */
long console_output_queue(const char *s, size_t n, bool may_sleep);

#endif
