/* services/fbcond/main.c: the framebuffer console. It maps the boot
 * framebuffer (sys:framebuffer, memory: under the framebuffer grant), reads
 * the kernel's font (sys:font), takes the console's screen output
 * (debug:output, console-output grant), sets the console's window to its
 * grid and then draws every byte through the terminal model (vt.c). Status
 * reports go back as typed input (debug:input, console-input grant). If it
 * dies the kernel draws again, and init restarts it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "draw.h"
#include "svc.h"
#include "vt.h"

#define FB_INFO_PATH "sys:framebuffer"
#define FONT_PATH "sys:font"
#define OUTPUT_PATH "debug:output"
#define INPUT_PATH "debug:input"
#define CONSOLE_PATH "debug:console"
#define FONT_MAX (1 << 20)
#define FB_BPP 32
#define READ_CHUNK 4096

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

/* The console's window becomes our grid (SIGWINCH to its foreground group). */
static void set_window(const struct fb *f)
{
    struct winsize ws = {.ws_row = (unsigned short)f->rows, .ws_col = (unsigned short)f->cols};
    int fd = open(CONSOLE_PATH, O_RDWR | O_NOCTTY);

    if (fd < 0 || ioctl(fd, TIOCSWINSZ, &ws) < 0)
        svc_log("fbcond: cannot set the console's window size");
    if (fd >= 0)
        close(fd);
}

/* The terminal's answers (DSR) typed back, when we may. */
static void send_reply(struct vt *v, int input_fd)
{
    if (v->reply_len && input_fd >= 0 && write(input_fd, v->reply, v->reply_len) < 0)
        svc_log("fbcond: cannot answer through %s", INPUT_PATH);
    v->reply_len = 0;
}

static int run(struct fb *f, struct vt *v, int out_fd, int input_fd)
{
    static char buf[READ_CHUNK];
    ssize_t n;

    draw_paint(f, v);
    while ((n = read(out_fd, buf, sizeof(buf))) > 0) {
        vt_feed(v, buf, (size_t)n);
        send_reply(v, input_fd);
        draw_paint(f, v);
    }
    svc_log("fbcond: %s ended", OUTPUT_PATH);
    return 1;
}

int main(void)
{
    static struct fb f;
    static struct vt v;
    unsigned long long phys;
    int out_fd, input_fd;

    if (parse_info(&f, &phys) < 0) {
        svc_log("fbcond: no 32 bpp framebuffer in %s; exiting", FB_INFO_PATH);
        return 0;   /* nothing to draw on: not a failure, not restarted */
    }
    if (map_fb(&f, phys) < 0 || load_font(&f) < 0) {
        svc_log("fbcond: cannot map the framebuffer (framebuffer grant?) or read %s", FONT_PATH);
        return 1;
    }
    draw_layout(&f);
    if (vt_init(&v, f.cols, f.rows) < 0)
        return 1;
    if ((out_fd = open(OUTPUT_PATH, O_RDONLY)) < 0) {
        svc_log("fbcond: cannot take the console's output: %s", OUTPUT_PATH);
        return 1;
    }
    input_fd = open(INPUT_PATH, O_WRONLY);
    set_window(&f);
    return run(&f, &v, out_fd, input_fd);
}
