/* kernel/fs/console_input.h: debug:input, where a keyboard service holding
 * the console-input grant writes the bytes a user typed. */
#ifndef ANVIL_FS_CONSOLE_INPUT_H
#define ANVIL_FS_CONSOLE_INPUT_H

#include "fs/file.h"

#define CONSOLE_INPUT_PATH "input"   /* debug:input */

/* A write-only file into the console's input: 0, -EACCES (no grant),
 * -EINVAL (not O_WRONLY), -ENOMEM. */
int console_input_open(unsigned flags, struct file **out);

#endif
