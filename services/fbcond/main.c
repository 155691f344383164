/* services/fbcond/main.c: the framebuffer console. It maps the boot
 * framebuffer (sys:framebuffer, memory: under the framebuffer grant), reads
 * the kernel's font (sys:font) and draws terminals through the terminal
 * model (vt.c): vt1 is the kernel console (its screen output from
 * debug:output, console-output grant), vt2..vt4 pseudo-terminals (term.c).
 * It takes the keyboard from the console (input:console): Alt+F1..F4 show a
 * terminal, Shift+PgUp/PgDn scroll back, other keys are typed into the
 * terminal shown. console: tells their ttys and text (consolefs.c). If it
 * dies the kernel draws and ps2d types into the console again, and init
 * restarts it. Usage: fbcond [TERMINALS] (1..4, default 4). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "console.h"
#include "vtkeys.h"

#define FB_INFO_PATH "sys:framebuffer"
#define FONT_PATH "sys:font"
#define KEYS_PATH "input:console"
#define FONT_MAX (1 << 20)
#define FB_BPP 32
#define READ_CHUNK 4096
#define RETRY_MS 1000      /* looking for the keyboard again (ps2d restarting) */

static struct console con;

/* All of a small kernel file into buf: its length, or -1. */
static long read_file(const char *path, char *buf, size_t max)
{
    int fd = open(path, O_RDONLY);
    size_t len = 0;
    ssize_t n;

    if (fd < 0)
        return -1;
    while (len < max && (n = read(fd, buf + len, max - len)) > 0)
        len += (size_t)n;
    close(fd);
    return (long)len;
}

/* "0xPHYS W H PITCH BPP r POS SIZE g POS SIZE b POS SIZE" (kernel/scheme/sys.c). */
static int parse_info(struct fb *f, unsigned long long *phys)
{
    char line[256];
    unsigned w, h, pitch, bpp, p[3], s[3];
    long n = read_file(FB_INFO_PATH, line, sizeof(line) - 1);

    if (n <= 0)
        return -1;
    line[n] = '\0';
    if (sscanf(line, "%llx %u %u %u %u r %u %u g %u %u b %u %u", phys, &w, &h, &pitch, &bpp,
               &p[0], &s[0], &p[1], &s[1], &p[2], &s[2]) != 11 || bpp != FB_BPP ||
        pitch < w * 4 || w == 0 || h == 0)
        return -1;
    f->width = w;
    f->height = h;
    f->pitch = pitch;
    for (int i = 0; i < 3; i++) {
        f->pos[i] = (uint8_t)(p[i] < 32 ? p[i] : 0);
        f->size[i] = (uint8_t)(s[i] <= 8 ? s[i] : 8);
    }
    return 0;
}

static int map_fb(struct fb *f, unsigned long long phys)
{
    char path[64];
    size_t size = (size_t)f->pitch * f->height;
    int fd;

    snprintf(path, sizeof(path), "memory:0x%llx?size=%zu", phys, size);
    if ((fd = open(path, O_RDWR)) < 0)
        return -1;
    f->base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return f->base == MAP_FAILED ? -1 : 0;
}

static int load_font(struct fb *f)
{
    char *buf = malloc(FONT_MAX);   /* kept: the glyphs point into it */
    long n = buf ? read_file(FONT_PATH, buf, FONT_MAX) : -1;

    if (n <= 0 || anvil_psf_parse((const uint8_t *)buf, (size_t)n, &f->font) < 0)
        return -1;
    return 0;
}

static void paint(void)
{
    draw_paint(&con.fb, &con.term[con.active].vt);
}

static void show(int i)
{
    struct vt *v;

    if (i < 0 || i >= con.count || i == con.active)
        return;
    con.active = i;
    v = &con.term[i].vt;
    vt_view_scroll(v, -v->view);
    for (int y = 0; y < v->rows; y++)
        v->dirty[y] = true;
    paint();
}

/* A key: Alt+F1..F4 (Ctrl too, as from X) and Shift+PgUp/PgDn are the
 * console's own; anything else goes to the terminal shown, which scrolls
 * back down first. */
static void key(const struct anvil_input_event *ev)
{
    struct term *t = &con.term[con.active];
    int page = t->vt.rows / 2;
    char bytes[VTKEYS_MAX];
    size_t n;

    if (ev->type != ANVIL_INPUT_KEY || ev->value == ANVIL_KEY_RELEASE)
        return;
    if ((ev->mods & ANVIL_MOD_ALT) && ev->code >= ANVIL_KEY_F1 && ev->code < ANVIL_KEY_F1 + TERMS_MAX) {
        show(ev->code - ANVIL_KEY_F1);
        return;
    }
    if ((ev->mods & ANVIL_MOD_SHIFT) &&
        (ev->code == ANVIL_KEY_PAGEUP || ev->code == ANVIL_KEY_PAGEDOWN)) {
        if (vt_view_scroll(&t->vt, ev->code == ANVIL_KEY_PAGEUP ? page : -page))
            paint();
        return;
    }
    if (!(n = vtkeys_bytes(ev, bytes)))
        return;
    if (vt_view_scroll(&t->vt, -t->vt.view))
        paint();
    term_type(t, bytes, n);
}

/* Keys waiting on fd; -1 when the keyboard went away (ps2d died). */
static int read_keys(int fd)
{
    struct anvil_input_event ev[16];
    ssize_t n = read(fd, ev, sizeof(ev));

    if (n <= 0)
        return -1;
    for (size_t i = 0; i < (size_t)n / sizeof(ev[0]); i++)
        key(&ev[i]);
    return 0;
}

/* Output for terminal i: 0, or -1 when it ended. */
static int read_output(int i)
{
    static char buf[READ_CHUNK];
    struct term *t = &con.term[i];
    ssize_t n = read(t->out_fd, buf, sizeof(buf));

    if (n < 0 && (errno == EAGAIN || errno == EINTR || errno == EIO))
        return 0;   /* EIO: a pty whose shell is gone, until the next opens it */
    if (n <= 0)
        return -1;
    vt_feed(&t->vt, buf, (size_t)n);
    if (t->vt.reply_len) {
        term_type(t, t->vt.reply, t->vt.reply_len);
        t->vt.reply_len = 0;
    }
    if (i == con.active)
        paint();
    return 0;
}

static int run(int scheme_fd)
{
    struct pollfd p[TERMS_MAX + 2];
    int keys_fd = open(KEYS_PATH, O_RDONLY);

    paint();
    for (;;) {
        int k = con.count, s = con.count + 1;
        for (int i = 0; i < con.count; i++)
            p[i] = (struct pollfd){.fd = con.term[i].out_fd, .events = POLLIN};
        p[k] = (struct pollfd){.fd = keys_fd, .events = POLLIN};
        p[s] = (struct pollfd){.fd = scheme_fd, .events = POLLIN};
        if (poll(p, (nfds_t)con.count + 2, keys_fd < 0 ? RETRY_MS : -1) < 0 && errno != EINTR)
            return 1;
        for (int i = 0; i < con.count; i++)
            if ((p[i].revents & POLLIN) && read_output(i) < 0) {
                svc_log("fbcond: the output of %s ended", con.term[i].tty);
                return 1;
            }
        if (keys_fd >= 0 && (p[k].revents & (POLLIN | POLLHUP | POLLERR)) && read_keys(keys_fd) < 0) {
            close(keys_fd);
            keys_fd = -1;
        }
        if (keys_fd < 0)
            keys_fd = open(KEYS_PATH, O_RDONLY);
        if (scheme_fd >= 0 && (p[s].revents & POLLIN) && svc_serve_once(scheme_fd, &consolefs_ops) < 0)
            return 1;
    }
}

static int open_terms(int wanted)
{
    struct fb *f = &con.fb;

    if (term_open_console(&con.term[0], f->cols, f->rows) < 0)
        return -1;
    con.count = 1;
    while (con.count < wanted && term_open_pty(&con.term[con.count], f->cols, f->rows) == 0)
        con.count++;
    return 0;
}

int main(int argc, char **argv)
{
    int wanted = argc > 1 ? atoi(argv[1]) : TERMS_MAX, scheme_fd;
    unsigned long long phys;

    if (argc > 2 || wanted < 1 || wanted > TERMS_MAX) {
        svc_log("fbcond: usage: fbcond [TERMINALS, 1..%d]", TERMS_MAX);
        return 2;
    }
    if (parse_info(&con.fb, &phys) < 0) {
        svc_log("fbcond: no 32 bpp framebuffer in %s; exiting", FB_INFO_PATH);
        return 0;   /* nothing to draw on: not a failure, not restarted */
    }
    if (map_fb(&con.fb, phys) < 0 || load_font(&con.fb) < 0) {
        svc_log("fbcond: cannot map the framebuffer (framebuffer grant?) or read %s", FONT_PATH);
        return 1;
    }
    draw_layout(&con.fb);
    if (open_terms(wanted) < 0)
        return 1;
    consolefs_attach(&con);
    if ((scheme_fd = svc_register("console")) < 0)
        svc_log("fbcond: cannot register console: %s", strerror(-scheme_fd));
    else
        fcntl(scheme_fd, F_SETFL, O_NONBLOCK);
    return run(scheme_fd);
}
