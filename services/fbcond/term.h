/* services/fbcond/term.h: fbcond's terminals. The first is the kernel
 * console (what it prints comes from debug:output, keys go in through
 * debug:input); the others are pseudo-terminals fbcond holds the master of,
 * for init to start shells on (console:vtN/tty names the slave). */
#ifndef FBCOND_TERM_H
#define FBCOND_TERM_H

#include <stddef.h>

#include "vt.h"

#define TERMS_MAX 4        /* vt1..vt4, switched with Alt+F1..F4 */
#define TERM_PATH_MAX 32

struct term {
    struct vt vt;
    int out_fd;            /* what the terminal shows */
    int in_fd;             /* where its keys and answers go */
    int slave_fd;          /* a pty's slave, held so the master never hangs up */
    char tty[TERM_PATH_MAX];
};

/* Terminal 0 on the console: 0, or -1 with the reason logged. */
int term_open_console(struct term *t, int cols, int rows);
/* A terminal on a new pseudo-terminal of cols x rows: 0, or -1 (logged). */
int term_open_pty(struct term *t, int cols, int rows);
/* Bytes typed into the terminal (keys, the model's answers); dropped when
 * its input is full rather than blocking the screen. */
void term_type(struct term *t, const char *s, size_t n);

#endif
