/* kernel/fs/tty.c: the terminal core. It keeps a termios (Linux's struct
 * termios and N_TTY rules): canonical or raw input with VMIN/VTIME, echo,
 * erase and kill, ^C ^\ ^Z as signals to the foreground process group, and
 * the session it is the controlling terminal of. Drivers (console.c, pty.c)
 * feed it input and take its output. */
#include "fs/tty.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "proc/jobctl.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/clock.h"
#include "sched/sched.h"

#define TTY_EOF 0x100         /* in the ring: a ^D that ends a line, not data */
#define READ_CHUNK 256
/* One write prints at most this much: the kernel is not preemptible, and a
 * short write lets the caller (and everyone else) run before the rest. */
#define WRITE_MAX 65536
#define NS_PER_DECISECOND 100000000ull
#define SI_KERNEL 0x80
#define ASCII_BS 0x08
#define ASCII_DEL 0x7f
#define CTRL_ECHO_BIT 0x40    /* ^C is 0x03 ^ 0x40 */
#define UTF8_CONT_MASK 0xc0   /* a continuation byte is 10xxxxxx */
#define UTF8_CONT 0x80

/* ioctl requests, Linux asm-generic/ioctls.h. */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCSBRK 0x5409
#define TCXONC 0x540a
#define TCFLSH 0x540b
#define TIOCEXCL 0x540c
#define TIOCNXCL 0x540d
#define TIOCSCTTY 0x540e
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCOUTQ 0x5411
#define TIOCSTI 0x5412
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541b
#define FIONBIO 0x5421
#define TIOCNOTTY 0x5422
#define TCSBRKP 0x5425
#define TIOCGETD 0x5424
#define TIOCSETD 0x5423
#define TIOCGSID 0x5429
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2
#define N_TTY 0

/* termios bits and c_cc slots, Linux asm-generic/termbits.h. */
#define ISTRIP 0000040u
#define INLCR 0000100u
#define IGNCR 0000200u
#define ICRNL 0000400u
#define IXON 0002000u
#define IUTF8 0040000u
#define OPOST 0000001u
#define ONLCR 0000004u
#define B38400 0000017u
#define CS8 0000060u
#define CREAD 0000200u
#define HUPCL 0002000u
#define ISIG 0000001u
#define ICANON 0000002u
#define ECHO 0000010u
#define ECHOE 0000020u
#define ECHOK 0000040u
#define ECHONL 0000100u
#define NOFLSH 0000200u
#define TOSTOP 0000400u
#define ECHOCTL 0001000u
#define ECHOKE 0004000u
#define IEXTEN 0100000u

/* Linux's tty_std_termios: cooked, echoing, ^C ^\ ^Z as signals. */
static const struct ktermios std_termios = {
    .c_iflag = ICRNL | IXON,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B38400 | CS8 | CREAD | HUPCL,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    .c_cc = {[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025, [VEOF] = 004,
             [VMIN] = 1, [VSTART] = 021, [VSTOP] = 023, [VSUSP] = 032, [VREPRINT] = 022,
             [VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026},
};

/* Readers sleep on the tty itself, writers of input on its tail. */
static const void *drain_chan(const struct tty *t)
{
    return &t->tail;
}

void tty_init(struct tty *t, const struct tty_driver *drv, void *priv, uint16_t rows,
              uint16_t cols)
{
    memset(t, 0, sizeof(*t));
    t->drv = drv;
    t->priv = priv;
    t->tio = std_termios;
    t->ws.ws_row = rows;
    t->ws.ws_col = cols;
}

static bool lflag(const struct tty *t, uint32_t bit)
{
    return (t->tio.c_lflag & bit) != 0;
}

/* c is the (enabled) special character cc[slot]; 0 is _POSIX_VDISABLE. */
static bool is_cc(const struct tty *t, int slot, unsigned c)
{
    return t->tio.c_cc[slot] != 0 && c == t->tio.c_cc[slot];
}

static void input_changed(struct tty *t)
{
    sched_wakeup(t);
    file_poll_notify();
}

/* Room was made in the input: writers of input (a pty master) go on. */
static void input_drained(struct tty *t)
{
    sched_wakeup(drain_chan(t));
    file_poll_notify();
}

void tty_flush_input(struct tty *t)
{
    t->head = t->tail = t->canon_end = 0;
    t->lnext = false;
    input_changed(t);
    input_drained(t);
}

/* Echoes never wait: with no room for them they are lost. */
static void echo_out(struct tty *t, const char *s, size_t n)
{
    t->drv->output(t, s, n, false);
}

/* Echo: control characters as ^X when ECHOCTL (not tab or newline). */
static void echo_char(struct tty *t, unsigned c)
{
    bool ctl = c < 0x20 || c == ASCII_DEL;

    if (ctl && lflag(t, ECHOCTL) && c != '\t' && c != '\n') {
        char two[2] = {'^', (char)(c ^ CTRL_ECHO_BIT)};
        echo_out(t, two, 2);
        return;
    }
    echo_out(t, &(char){(char)c}, 1);
}

static void echo_erase(struct tty *t, unsigned c)
{
    bool wide = (c < 0x20 || c == ASCII_DEL) && c != '\t' && lflag(t, ECHOCTL);

    if (!lflag(t, ECHO))
        return;
    if (!lflag(t, ECHOE)) {
        echo_char(t, t->tio.c_cc[VERASE]);
        return;
    }
    for (int i = 0; i < (wide ? 2 : 1); i++)
        echo_out(t, "\b \b", 3);
}

/* Remove the last character of the line being typed (under IUTF8 a whole
 * UTF-8 sequence); false if it is empty. */
static bool erase_one(struct tty *t)
{
    unsigned c;

    if (t->head == t->canon_end)
        return false;
    c = t->in[--t->head % TTY_BUF];
    while ((t->tio.c_iflag & IUTF8) && (c & UTF8_CONT_MASK) == UTF8_CONT &&
           t->head > t->canon_end)
        c = t->in[--t->head % TTY_BUF];
    echo_erase(t, c);
    return true;
}

static bool is_space(unsigned c)
{
    return c == ' ' || c == '\t';
}

static void erase_word(struct tty *t)
{
    while (t->head > t->canon_end && is_space(t->in[(t->head - 1) % TTY_BUF]))
        erase_one(t);
    while (t->head > t->canon_end && !is_space(t->in[(t->head - 1) % TTY_BUF]))
        erase_one(t);
}

static void kill_line(struct tty *t)
{
    if (lflag(t, ECHO) && !(lflag(t, ECHOKE) && lflag(t, ECHOE))) {
        echo_char(t, t->tio.c_cc[VKILL]);
        if (lflag(t, ECHOK))
            echo_out(t, "\n", 1);
        t->head = t->canon_end;
        return;
    }
    while (erase_one(t))
        ;
}

static void store(struct tty *t, uint16_t c)
{
    if (t->head - t->tail >= TTY_BUF)
        return;   /* full: dropped, as a real line drops overruns */
    t->in[t->head++ % TTY_BUF] = c;
    t->last_rx_ns = clock_monotonic_ns();
}

/* The line typed so far becomes readable. */
static void commit_line(struct tty *t)
{
    t->canon_end = t->head;
    input_changed(t);
}

/* ISIG: ^C, ^\, ^Z signal the foreground group; input is flushed unless NOFLSH. */
static bool signal_char(struct tty *t, unsigned c)
{
    struct ksiginfo si = {.code = SI_KERNEL};
    int sig = is_cc(t, VINTR, c) ? SIGINT : is_cc(t, VQUIT, c) ? SIGQUIT
            : is_cc(t, VSUSP, c) ? SIGTSTP : 0;

    if (!sig)
        return false;
    if (t->session && t->pgrp)
        jobctl_signal_group(t->pgrp, sig, &si);
    if (!lflag(t, NOFLSH))
        tty_flush_input(t);
    if (lflag(t, ECHO))
        echo_char(t, c);
    return true;
}

/* Canonical editing characters; false when c is ordinary. */
static bool canon_char(struct tty *t, unsigned c)
{
    if (is_cc(t, VERASE, c) || c == ASCII_BS || c == ASCII_DEL) {
        erase_one(t);
    } else if (is_cc(t, VKILL, c)) {
        kill_line(t);
    } else if (lflag(t, IEXTEN) && is_cc(t, VWERASE, c)) {
        erase_word(t);
    } else if (lflag(t, IEXTEN) && is_cc(t, VLNEXT, c)) {
        t->lnext = true;
    } else if (is_cc(t, VEOF, c)) {
        store(t, TTY_EOF);
        commit_line(t);
    } else if (c == '\n' || is_cc(t, VEOL, c) || is_cc(t, VEOL2, c)) {
        store(t, (uint16_t)c);
        if (lflag(t, ECHO) || (c == '\n' && lflag(t, ECHONL)))
            echo_char(t, c);
        commit_line(t);
    } else {
        return false;
    }
    return true;
}

/* One character from the line (or TIOCSTI), through termios input processing. */
static void receive(struct tty *t, unsigned c)
{
    uint32_t iflag = t->tio.c_iflag;
    bool literal = t->lnext;

    t->lnext = false;
    if (iflag & ISTRIP)
        c &= 0x7f;
    if (!literal && c == '\r' && (iflag & IGNCR))
        return;
    if (!literal && c == '\r' && (iflag & ICRNL))
        c = '\n';
    else if (!literal && c == '\n' && (iflag & INLCR))
        c = '\r';
    if (!literal && lflag(t, ISIG) && signal_char(t, c))
        return;
    if (!literal && (iflag & IXON) && (is_cc(t, VSTART, c) || is_cc(t, VSTOP, c)))
        return;   /* flow control: output is never held back here */
    if (!literal && lflag(t, ICANON) && canon_char(t, c))
        return;
    if (lflag(t, ICANON) && t->head - t->tail >= TTY_BUF - 1)
        return;   /* keep the last slot for the newline */
    store(t, (uint16_t)c);
    if (lflag(t, ECHO))
        echo_char(t, c);
    if (!lflag(t, ICANON))
        input_changed(t);
}

void tty_receive(struct tty *t, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        receive(t, (uint8_t)buf[i]);
}

/* Raw input waits for a reader when the ring is full; canonical input only
 * when a finished line is there to read (else more typing is dropped, as
 * N_TTY does, so a newline can still come). */
bool tty_input_full(const struct tty *t)
{
    if (t->head - t->tail < TTY_BUF - 1)
        return false;
    return !lflag(t, ICANON) || t->canon_end > t->tail;
}

int tty_wait_input_room(struct tty *t)
{
    while (tty_input_full(t) && !t->hung_up) {
        int err = sched_sleep(drain_chan(t), 0, true);
        if (err)
            return err;
    }
    return t->hung_up ? -EIO : 0;
}

size_t tty_cook(const struct tty *t, char c, char out[2])
{
    uint32_t oflag = t->tio.c_oflag;

    if (c == '\n' && (oflag & OPOST) && (oflag & ONLCR)) {
        out[0] = '\r';
        out[1] = '\n';
        return 2;
    }
    out[0] = c;
    return 1;
}

/* Linux __tty_check_change: a background process of the terminal's session
 * that reads (SIGTTIN), writes with TOSTOP or changes the terminal (SIGTTOU).
 * 0: go on; -EIO; -EINTR once the signal is sent to its group (the call
 * restarts after the stop). */
static int check_change(struct tty *t, int sig)
{
    struct thread *th = sched_current();
    struct proc *p = th->proc;
    struct ksiginfo si = {.code = SI_KERNEL};

    if (!p || p->ctty != t || !t->pgrp || p->pgid == t->pgrp)
        return 0;
    if (signal_ignored_or_blocked(th, sig))
        return sig == SIGTTIN ? -EIO : 0;
    if (jobctl_group_orphaned(p->pgid))
        return -EIO;
    jobctl_signal_group(p->pgid, sig, &si);
    return -EINTR;
}

/* Canonical: finished lines (and ^D); raw: anything, or VMIN with no VTIME
 * for poll. */
static bool readable(const struct tty *t, bool for_poll)
{
    size_t min = t->tio.c_cc[VMIN];

    if (lflag(t, ICANON))
        return t->canon_end > t->tail;
    if (for_poll && !t->tio.c_cc[VTIME] && min > 1)
        return t->head - t->tail >= min;
    return t->head > t->tail;
}

/* Take up to max characters into buf: a canonical read stops after a line's
 * end, or at a ^D, which it consumes (0 when the ^D came first: end of file). */
static size_t take(struct tty *t, char *buf, size_t max)
{
    bool canon = lflag(t, ICANON);
    size_t end = canon ? t->canon_end : t->head, n = 0;

    while (t->tail < end && n < max) {
        uint16_t c = t->in[t->tail++ % TTY_BUF];
        if (c == TTY_EOF) {
            if (!canon)
                continue;
            break;
        }
        buf[n++] = (char)c;
        if (canon && (c == '\n' || is_cc(t, VEOL, c) || is_cc(t, VEOL2, c)))
            break;
    }
    if (t->tail == t->head)
        t->head = t->tail = t->canon_end = 0;
    input_drained(t);
    return n;
}

/* Raw mode (POSIX 11.1.7): enough input for VMIN and VTIME yet? *deadline
 * is when to stop waiting (0: no limit). */
static bool raw_ready(const struct tty *t, size_t len, uint64_t start, uint64_t *deadline)
{
    size_t avail = t->head - t->tail, min = t->tio.c_cc[VMIN];
    uint64_t time = t->tio.c_cc[VTIME] * NS_PER_DECISECOND;

    if (min > len)
        min = len;
    *deadline = 0;
    if (min == 0)
        *deadline = start + time;
    else if (time && avail > 0)
        *deadline = t->last_rx_ns + time;
    if (avail >= (min ? min : 1))
        return true;
    return (min == 0 && !time) || (*deadline && clock_monotonic_ns() >= *deadline);
}

/* Sleep until there is something to read (or a hangup, which reads as end
 * of file): 0, or -EAGAIN, -EINTR, -EIO. */
static int wait_input(struct tty *t, struct file *f, size_t len)
{
    uint64_t start = clock_monotonic_ns(), deadline = 0;

    for (;;) {
        int err = t->hung_up ? 0 : check_change(t, SIGTTIN);
        if (err || t->hung_up)
            return err;
        if (lflag(t, ICANON) ? readable(t, false) : raw_ready(t, len, start, &deadline))
            return 0;
        if (lflag(t, ICANON))
            deadline = 0;
        if (f->flags & O_NONBLOCK)
            return !lflag(t, ICANON) && !t->tio.c_cc[VMIN] && !t->tio.c_cc[VTIME] ? 0 : -EAGAIN;
        err = sched_sleep(t, deadline, true);
        if (err == -ETIMEDOUT)
            return 0;
        if (err)
            return err;
    }
}

static long tty_read(struct file *f, uintptr_t ubuf, size_t len)
{
    struct tty *t = f->priv;
    char buf[READ_CHUNK];
    size_t done = 0;
    int err;

    if (len == 0 || t->hung_up)
        return 0;
    if ((err = wait_input(t, f, len)) != 0 || t->hung_up)
        return err;
    while (done < len) {
        size_t want = len - done < sizeof(buf) ? len - done : sizeof(buf);
        size_t n = take(t, buf, want);
        if (n == 0)
            break;
        if (copy_to_user(ubuf + done, buf, n) < 0)
            return done ? (long)done : -EFAULT;
        done += n;
        if (lflag(t, ICANON) && (n < want || buf[n - 1] == '\n'))
            break;   /* one line per read */
    }
    return (long)done;
}

long tty_copy_in(uintptr_t ubuf, size_t len, long (*sink)(void *ctx, const char *s, size_t n),
                 void *ctx)
{
    char buf[READ_CHUNK];
    size_t done = 0;

    while (done < len) {
        size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
        long took = copy_from_user(buf, ubuf + done, n);
        if (took == 0)
            took = sink(ctx, buf, n);
        if (took < 0)
            return done ? (long)done : took;
        done += (size_t)took;
        if ((size_t)took < n)
            break;
    }
    return (long)done;
}

struct write_ctx {
    struct tty *t;
    bool may_sleep;
};

static long output_sink(void *ctx, const char *s, size_t n)
{
    struct write_ctx *w = ctx;

    return w->t->drv->output(w->t, s, n, w->may_sleep);
}

static long tty_write(struct file *f, uintptr_t ubuf, size_t len)
{
    struct write_ctx w = {.t = f->priv, .may_sleep = !(f->flags & O_NONBLOCK)};
    long n;
    int err;

    if (w.t->hung_up)
        return -EIO;
    if (lflag(w.t, TOSTOP) && (err = check_change(w.t, SIGTTOU)) != 0)
        return err;
    n = tty_copy_in(ubuf, len > WRITE_MAX ? WRITE_MAX : len, output_sink, &w);
    return n == 0 && len ? -EAGAIN : n;
}

void tty_stat_of(const struct tty *t, struct kstat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_nlink = 1;
    st->st_blksize = 1024;
    t->drv->stat(t, st);
}

static int tty_stat(struct file *f, struct kstat *st)
{
    tty_stat_of(f->priv, st);
    return 0;
}

/* Make t the controlling terminal of p's session. */
static void set_ctty(struct tty *t, struct proc *p)
{
    t->session = p->sid;
    t->pgrp = p->pgid;
    p->ctty = t;
}

/* The session loses its terminal; its foreground group gets SIGHUP and
 * SIGCONT (Linux disassociate_ctty). */
static void hang_up(struct tty *t)
{
    int sid = t->session, pgrp = t->pgrp;

    t->session = 0;
    t->pgrp = 0;
    jobctl_session_drop_tty(sid);
    if (pgrp) {
        jobctl_signal_group(pgrp, SIGHUP, NULL);
        jobctl_signal_group(pgrp, SIGCONT, NULL);
    }
}

int tty_fg_pgrp(const struct tty *t)
{
    return t->session && t->pgrp ? t->pgrp : -1;
}

uint64_t tty_rdev(const struct tty *t)
{
    struct kstat st;

    tty_stat_of(t, &st);
    return st.st_rdev;
}

void tty_session_end(struct tty *t, int sid)
{
    if (t->session == sid)
        hang_up(t);
}

/* Linux __tty_hangup: the session leader hears of it too, even when its
 * job is not in the foreground (a shell waiting for one). */
void tty_hangup(struct tty *t)
{
    struct proc *leader = t->session ? proc_find(t->session) : NULL;

    if (leader && leader->state == PROC_ALIVE && leader->pgid != t->pgrp) {
        signal_send_proc(leader, SIGHUP, NULL);
        signal_send_proc(leader, SIGCONT, NULL);
    }
    if (t->session)
        hang_up(t);
    t->hung_up = true;
    input_changed(t);
    input_drained(t);
}

static long tiocsctty(struct tty *t, unsigned long steal)
{
    struct proc *p = proc_current();

    if (p->sid == p->pid && t->session == p->sid)
        return 0;
    if (p->sid != p->pid || p->ctty)
        return -EPERM;
    if (t->session) {
        if (steal != 1)
            return -EPERM;   /* everyone is root: stealing is allowed when asked */
        jobctl_session_drop_tty(t->session);
    }
    set_ctty(t, p);
    return 0;
}

static long tiocnotty(struct tty *t)
{
    struct proc *p = proc_current();

    if (p->ctty != t)
        return -ENOTTY;
    if (p->sid == p->pid)
        hang_up(t);
    else
        p->ctty = NULL;
    return 0;
}

static long tiocspgrp(struct tty *t, uintptr_t arg)
{
    struct proc *p = proc_current();
    int err = check_change(t, SIGTTOU), pgrp;

    if (err)
        return err == -EIO ? -ENOTTY : err;
    if (copy_from_user(&pgrp, arg, sizeof(pgrp)) < 0)
        return -EFAULT;
    if (pgrp < 0)
        return -EINVAL;
    if (p->ctty != t || t->session != p->sid)
        return -ENOTTY;
    if (jobctl_signal_group(pgrp, 0, NULL) < 0)
        return -ESRCH;
    if (!jobctl_group_in_session(pgrp, p->sid))
        return -EPERM;
    t->pgrp = pgrp;
    return 0;
}

/* tcgetpgrp and tcgetsid answer only for the caller's controlling terminal. */
static long get_id(struct tty *t, uintptr_t arg, bool sid)
{
    int id = sid ? t->session : t->pgrp;

    if (proc_current()->ctty != t || (sid && !t->session))
        return -ENOTTY;
    return copy_to_user(arg, &id, sizeof(id));
}

static long tcsets(struct tty *t, unsigned long cmd, uintptr_t arg)
{
    struct ktermios nt;
    bool was_canon = lflag(t, ICANON);
    int err = check_change(t, SIGTTOU);

    if (err)
        return err;
    if (copy_from_user(&nt, arg, sizeof(nt)) < 0)
        return -EFAULT;
    if (cmd == TCSETSF)
        tty_flush_input(t);
    t->tio = nt;
    if (!was_canon && lflag(t, ICANON))
        t->canon_end = t->head;   /* what was typed raw reads as one line */
    input_changed(t);   /* VMIN, VTIME or ICANON may have made input readable */
    return 0;
}

void tty_resize(struct tty *t, const struct kwinsize *ws)
{
    struct ksiginfo si = {.code = SI_KERNEL};

    if (memcmp(ws, &t->ws, sizeof(*ws)) == 0)
        return;
    t->ws = *ws;
    if (t->pgrp)
        jobctl_signal_group(t->pgrp, SIGWINCH, &si);
}

static long set_winsize(struct tty *t, uintptr_t arg)
{
    struct kwinsize ws;

    if (copy_from_user(&ws, arg, sizeof(ws)) < 0)
        return -EFAULT;
    tty_resize(t, &ws);
    return 0;
}

/* FIONREAD: what a read could take now (canonical: finished lines only). */
static int queued(const struct tty *t)
{
    size_t end = lflag(t, ICANON) ? t->canon_end : t->head;
    int n = 0;

    for (size_t i = t->tail; i < end; i++)
        n += t->in[i % TTY_BUF] != TTY_EOF;
    return n;
}

static long flush_cmd(struct tty *t, uintptr_t arg)
{
    int err = check_change(t, SIGTTOU);

    if (err)
        return err;
    if (arg != TCIFLUSH && arg != TCOFLUSH && arg != TCIOFLUSH)
        return -EINVAL;
    if (arg != TCOFLUSH)
        tty_flush_input(t);
    return 0;
}

static long put_int(uintptr_t arg, int v)
{
    return copy_to_user(arg, &v, sizeof(v));
}

static long set_nonblock(struct file *f, uintptr_t arg)
{
    int v;

    if (copy_from_user(&v, arg, sizeof(v)) < 0)
        return -EFAULT;
    f->flags = v ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
    return 0;
}

static long simple_ioctl(struct file *f, struct tty *t, unsigned long cmd, uintptr_t arg)
{
    int v;
    char c;

    switch (cmd) {
    case FIONREAD:
        return put_int(arg, queued(t));
    case TIOCOUTQ:
        return put_int(arg, 0);   /* output leaves synchronously */
    case TIOCGETD:
        return put_int(arg, N_TTY);
    case TIOCSETD:
        if (copy_from_user(&v, arg, sizeof(v)) < 0)
            return -EFAULT;
        return v == N_TTY ? 0 : -EINVAL;
    case TIOCSTI:
        if (copy_from_user(&c, arg, 1) < 0)
            return -EFAULT;
        receive(t, (uint8_t)c);
        return 0;
    case FIONBIO:
        return set_nonblock(f, arg);
    case TCSBRK: case TCSBRKP: case TCXONC: case TIOCEXCL: case TIOCNXCL:
        return 0;
    default:
        return -ENOTTY;
    }
}

/* Termios and the window size: the same asked of the terminal or of a pty
 * master; -ENOTTY for any other cmd. */
static long termios_ioctl(struct tty *t, unsigned long cmd, uintptr_t arg)
{
    switch (cmd) {
    case TCGETS:
        return copy_to_user(arg, &t->tio, sizeof(t->tio));
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        return tcsets(t, cmd, arg);
    case TIOCGWINSZ:
        return copy_to_user(arg, &t->ws, sizeof(t->ws));
    case TIOCSWINSZ:
        return set_winsize(t, arg);
    default:
        return -ENOTTY;
    }
}

/* Linux hung_up_tty_ioctl: only TIOCSPGRP differs. */
static long tty_file_ioctl(struct file *f, unsigned long cmd, uintptr_t arg)
{
    struct tty *t = f->priv;
    long r;

    if (t->hung_up)
        return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
    if ((r = termios_ioctl(t, cmd, arg)) != -ENOTTY)
        return r;
    switch (cmd) {
    case TIOCGPGRP:
        return get_id(t, arg, false);
    case TIOCGSID:
        return get_id(t, arg, true);
    case TIOCSPGRP:
        return tiocspgrp(t, arg);
    case TIOCSCTTY:
        return tiocsctty(t, arg);
    case TIOCNOTTY:
        return tiocnotty(t);
    case TCFLSH:
        return flush_cmd(t, arg);
    default:
        return simple_ioctl(f, t, cmd, arg);
    }
}

/* A master asks about its slave without being in its session (Linux
 * tiocgpgrp for the other side of a pty: 0 when there is no group). */
long tty_peer_ioctl(struct file *f, struct tty *t, unsigned long cmd, uintptr_t arg)
{
    switch (cmd) {
    case TIOCGPGRP:
        return put_int(arg, t->session ? t->pgrp : 0);
    case FIONBIO:
        return set_nonblock(f, arg);
    default:
        return termios_ioctl(t, cmd, arg);
    }
}

/* A hung-up terminal is always ready: reads say end of file, writes EIO. */
static unsigned tty_poll(struct file *f)
{
    struct tty *t = f->priv;
    bool out = !t->drv->writable || t->drv->writable(t);

    if (t->hung_up)
        return POLLIN | POLLOUT | POLLERR | POLLHUP;
    return (out ? POLLOUT : 0) | (readable(t, true) ? POLLIN : 0);
}

static void tty_release(struct file *f)
{
    struct tty *t = f->priv;

    if (t->drv->closed)
        t->drv->closed(t);
}

static const struct file_ops tty_ops = {
    .read = tty_read,
    .write = tty_write,
    .stat = tty_stat,
    .ioctl = tty_file_ioctl,
    .poll = tty_poll,
    .release = tty_release,
};

int tty_open(struct tty *t, unsigned flags, struct file **out)
{
    struct thread *th = sched_current();
    struct proc *p = th ? th->proc : NULL;
    int err = t->drv->opened ? t->drv->opened(t) : 0;

    if (err)
        return err;
    if (!(*out = file_new(&tty_ops, flags & ~O_NOCTTY, t))) {
        if (t->drv->closed)
            t->drv->closed(t);
        return -ENOMEM;
    }
    /* A session leader without a terminal takes a free one it opens. */
    if (!(flags & O_NOCTTY) && p && p->sid == p->pid && !p->ctty && !t->session)
        set_ctty(t, p);
    return 0;
}

int tty_ctty_open(unsigned flags, struct file **out)
{
    struct proc *p = proc_current();

    if (!p->ctty)
        return -ENXIO;
    return tty_open(p->ctty, flags | O_NOCTTY, out);
}
