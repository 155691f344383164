/* kernel/fs/pipe.h: anonymous pipes. */
#ifndef ANVIL_FS_PIPE_H
#define ANVIL_FS_PIPE_H

#include "fs/file.h"

/* A read end and a write end (flags: O_NONBLOCK); 0 or -ENOMEM. */
int pipe_create(unsigned flags, struct file **rd, struct file **wr);

#endif
