/* services/fbcond/term.c: opening fbcond's terminals and typing into them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "svc.h"
#include "term.h"

#define OUTPUT_PATH "debug:output"
#define INPUT_PATH "debug:input"
#define CONSOLE_PATH "debug:console"

/* The tty's window becomes the grid (SIGWINCH to its foreground group). */
static void set_window(int fd, int cols, int rows)
{
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};

    if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
        svc_log("fbcond: cannot set a terminal's window size: %s", strerror(errno));
}

int term_open_console(struct term *t, int cols, int rows)
{
    int fd;

    if (vt_init(&t->vt, cols, rows) < 0)
        return -1;
    t->slave_fd = -1;
    snprintf(t->tty, sizeof(t->tty), "/dev/console");
    if ((t->out_fd = open(OUTPUT_PATH, O_RDONLY)) < 0) {
        svc_log("fbcond: cannot take the console's output: %s", OUTPUT_PATH);
        return -1;
    }
    t->in_fd = open(INPUT_PATH, O_WRONLY | O_NONBLOCK);
    if ((fd = open(CONSOLE_PATH, O_RDWR | O_NOCTTY)) >= 0) {
        set_window(fd, cols, rows);
        close(fd);
    }
    return 0;
}

int term_open_pty(struct term *t, int cols, int rows)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    const char *name;

    t->out_fd = t->in_fd = t->slave_fd = -1;
    if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || !(name = ptsname(m))) {
        svc_log("fbcond: cannot open a pseudo-terminal: %s", strerror(errno));
        if (m >= 0)
            close(m);
        return -1;
    }
    snprintf(t->tty, sizeof(t->tty), "%s", name);
    if ((t->slave_fd = open(t->tty, O_RDWR | O_NOCTTY)) < 0 || vt_init(&t->vt, cols, rows) < 0) {
        svc_log("fbcond: cannot open %s: %s", t->tty, strerror(errno));
        close(m);
        return -1;
    }
    fcntl(m, F_SETFL, O_NONBLOCK);
    set_window(m, cols, rows);
    t->out_fd = t->in_fd = m;
    return 0;
}

void term_type(struct term *t, const char *s, size_t n)
{
    if (n && t->in_fd >= 0 && write(t->in_fd, s, n) < 0 && errno != EAGAIN)
        svc_log("fbcond: typing into %s: %s", t->tty, strerror(errno));
}
