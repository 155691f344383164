/* kernel/fs/tty.h: the terminal core shared by the console and the
 * pseudo-terminals: Linux's termios and N_TTY line discipline, job control
 * and the controlling terminal. A driver says where output goes. */
#ifndef ANVIL_FS_TTY_H
#define ANVIL_FS_TTY_H

#include "fs/file.h"

#define TTY_BUF 4096          /* input ring, as N_TTY_BUF_SIZE */

/* termios c_cc slots, Linux asm-generic/termbits.h. */
enum {
    VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP, VEOL,
    VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2, NCCS
};

struct ktermios {
    uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
    uint8_t c_line;
    uint8_t c_cc[NCCS];
};
_Static_assert(sizeof(struct ktermios) == 36, "ABI: struct termios (TCGETS) is 36 bytes");

struct kwinsize {
    uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};
_Static_assert(sizeof(struct kwinsize) == 8, "ABI: struct winsize");

struct tty;

struct tty_driver {
    /* Print n bytes (before output processing): the count taken (fewer when
     * there is no room and may_sleep is false: an echo, or a write with
     * O_NONBLOCK), or -errno. */
    long (*output)(struct tty *t, const char *buf, size_t n, bool may_sleep);
    /* Room for output now (NULL: always), for poll's POLLOUT. */
    bool (*writable)(const struct tty *t);
    void (*stat)(const struct tty *t, struct kstat *st);
    /* A file on t is being opened (0 or -errno; NULL: always 0), and one
     * such file's last reference went. */
    int (*opened)(struct tty *t);
    void (*closed)(struct tty *t);
};

/* Single CPU, interrupts off in the kernel: the serial interrupt and the
 * syscalls never overlap, so no lock. Only tty.c reads the fields below drv
 * and priv. */
struct tty {
    const struct tty_driver *drv;
    void *priv;               /* the driver's */
    struct ktermios tio;
    struct kwinsize ws;
    int session;              /* the session it controls, 0: none */
    int pgrp;                 /* its foreground process group */
    uint16_t in[TTY_BUF];     /* input after input processing; a marker for ^D */
    size_t head, tail;        /* free running: head - tail entries are queued */
    size_t canon_end;         /* canonical: finished lines end here; after it the line typed */
    uint64_t last_rx_ns;      /* VTIME: when the last character came */
    bool lnext;               /* VLNEXT: the next character is taken literally */
    bool hung_up;             /* its other end went: reads 0, writes and ioctls EIO */
};

/* Linux's tty_std_termios, a rows x cols window, no session. */
void tty_init(struct tty *t, const struct tty_driver *drv, void *priv, uint16_t rows,
              uint16_t cols);
/* Typed bytes: through input processing (echo, editing, ^C to the
 * foreground group). */
void tty_receive(struct tty *t, const char *buf, size_t n);
/* Input is full until a reader takes some: a writer of input should wait. */
bool tty_input_full(const struct tty *t);
/* Sleep until tty_input_full(t) is false: 0, -EINTR, or -EIO on hangup. */
int tty_wait_input_room(struct tty *t);
/* Drop all input (TCFLSH; a pty slave's last close). */
void tty_flush_input(struct tty *t);
/* Output processing of one byte (OPOST, ONLCR): the bytes to print in out,
 * their count (1 or 2). */
size_t tty_cook(const struct tty *t, char c, char out[2]);
/* Hand len bytes of user memory at ubuf to sink in chunks until it takes
 * fewer than offered or fails: the count, or the first chunk's -errno. */
long tty_copy_in(uintptr_t ubuf, size_t len, long (*sink)(void *ctx, const char *s, size_t n),
                 void *ctx);

/* A new file on t (flags: O_ACCMODE, O_NONBLOCK, O_APPEND, O_NOCTTY). Without
 * O_NOCTTY a session leader that has no controlling terminal gets t as its
 * own, if no other session has it. 0, -ENOMEM or the driver's -errno. */
int tty_open(struct tty *t, unsigned flags, struct file **out);
/* /dev/tty: the caller's controlling terminal: 0, -ENXIO (none), -ENOMEM. */
int tty_ctty_open(unsigned flags, struct file **out);
/* The ioctls a pty master f applies to its slave t: termios, the window
 * size, TIOCGPGRP, and FIONBIO on f; -ENOTTY for any other cmd. */
long tty_peer_ioctl(struct file *f, struct tty *t, unsigned long cmd, uintptr_t arg);
/* The other end went: the session loses t (its leader and foreground group
 * get SIGHUP and SIGCONT) and every later read returns 0. */
void tty_hangup(struct tty *t);

/* A new window size (TIOCSWINSZ, or a console service taking the screen):
 * SIGWINCH to the foreground group when it changed. */
void tty_resize(struct tty *t, const struct kwinsize *ws);

/* fstat of a file on t. */
void tty_stat_of(const struct tty *t, struct kstat *st);
/* t's foreground process group, -1 when none (/proc/PID/stat's tpgid). */
int tty_fg_pgrp(const struct tty *t);
/* st_rdev of t's device (/proc/PID/stat's tty_nr). */
uint64_t tty_rdev(const struct tty *t);
/* Session sid's leader exited: if t is its terminal, the session loses it
 * and the foreground group gets SIGHUP and SIGCONT. */
void tty_session_end(struct tty *t, int sid);

#endif
