/* services/fbcond/console.h: the whole of fbcond's state: the screen and the
 * terminals drawn on it, one shown at a time. */
#ifndef FBCOND_CONSOLE_H
#define FBCOND_CONSOLE_H

#include "draw.h"
#include "svc.h"
#include "term.h"

struct console {
    struct fb fb;
    struct term term[TERMS_MAX];
    int count;             /* terminals open: term[0..count-1] */
    int active;            /* the one on the screen */
};

/* consolefs.c: the console: scheme (docs/console.md): vtN/text, vtN/tty, active. */
extern const struct scheme_ops consolefs_ops;
void consolefs_attach(struct console *c);

#endif
