/* kernel/proc/cmdline.h: the copy of argv and of the program's path each
 * process keeps from its last exec (/proc/PID/cmdline and exe), inherited
 * at fork. */
#ifndef ANVIL_PROC_CMDLINE_H
#define ANVIL_PROC_CMDLINE_H

#include <stddef.h>

#include "proc/proc.h"

#define PROC_CMDLINE_MAX 4096   /* longer argument lists are cut here */

/* Keep exe and argv: argc NUL-terminated strings one after another in
 * strings (as exec copies them in). Out of memory keeps none rather than
 * failing the exec. */
void proc_cmdline_set(struct proc *p, const char *exe, const char *strings, int argc);
/* A fork child starts with its parent's. */
void proc_cmdline_inherit(struct proc *child, const struct proc *parent);
void proc_cmdline_free(struct proc *p);

#endif
