/* kernel/scheme/ioport.h: taking I/O ports back from a process (the ioport:
 * scheme gives them, see ioport.c). */
#ifndef ANVIL_SCHEME_IOPORT_H
#define ANVIL_SCHEME_IOPORT_H

#include "proc/proc.h"

/* Close every open port of p that its grants no longer cover (after
 * grant_restrict). */
void ioport_regrant(struct proc *p);
/* Close all of p's ports (exec: the new program opens what it needs). */
void ioport_drop_all(struct proc *p);

#endif
