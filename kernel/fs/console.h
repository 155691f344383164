/* kernel/fs/console.h: the kernel console as a terminal file (fd 0/1/2 of
 * init until a console service exists): writes go to every console sink,
 * reads get what is typed on the serial port or handed in by a keyboard
 * service (debug:input) through a termios line discipline; it can be a
 * session's controlling terminal. */
#ifndef ANVIL_FS_CONSOLE_H
#define ANVIL_FS_CONSOLE_H

#include "fs/file.h"

struct tty;

/* Start taking serial input (IRQ 4, and the tick as a fallback). */
void console_file_init(void);
/* Bytes typed on a keyboard: through input processing exactly as if they
 * came from the serial line (echo, editing, ^C to the foreground group). */
void console_receive(const char *buf, size_t n);
/* Hand len bytes of user memory at ubuf to sink in chunks: the count, or
 * -EFAULT when nothing could be read. */
long console_copy_in(uintptr_t ubuf, size_t len, void (*sink)(const char *s, size_t n));
/* A new file on the console; NULL when out of memory. Without O_NOCTTY a
 * session leader that has no controlling terminal gets the console as its
 * own, if no other session has it. */
struct file *console_file_open(unsigned flags);
/* /dev/tty: the caller's controlling terminal: 0, -ENXIO (none), -ENOMEM. */
int console_ctty_open(unsigned flags, struct file **out);
/* t's foreground process group, -1 when none (/proc/PID/stat's tpgid). */
int console_tty_pgrp(const struct tty *t);
/* Session sid's leader exited: if t is its terminal, the session loses it
 * and the foreground group gets SIGHUP and SIGCONT. */
void console_session_end(struct tty *t, int sid);

#endif
