/* image/screenshot.c: pictures of the guest's screen through the QEMU monitor,
 * so `mkimage run --screenshot F.png` shows what the screen held at the end. */
#define _GNU_SOURCE
#include "screenshot.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "png.h"
#include "util.h"

#define SCREENSHOT_EVERY 0.25       /* seconds between pictures */
#define MONITOR_WAIT_MS 2000
#define MONITOR_PROMPT "(qemu) "

static double seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int screenshot_begin(struct screenshot *s, const char *png)
{
    char tmpl[] = "/tmp/mkimage-shot-XXXXXX";

    if (!mkdtemp(tmpl)) {
        util_err("cannot make a folder for screenshots");
        return -1;
    }
    s->dir = xstrdup(tmpl);
    s->monitor = util_path_join(s->dir, "monitor.sock");
    s->png = png;
    return 0;
}

static int connect_monitor(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

/* Read until the monitor has shown its prompt `prompts` times. */
static void wait_prompts(int fd, int prompts)
{
    struct strbuf got = {0};
    char chunk[512];
    double end = seconds() + MONITOR_WAIT_MS / 1000.0;

    while (prompts > 0 && seconds() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0)
            break;
        sb_add(&got, chunk, (size_t)n);
        for (char *at; (at = strstr(got.buf, MONITOR_PROMPT)); prompts--)
            memset(at, ' ', strlen(MONITOR_PROMPT));
    }
    sb_free(&got);
}

void screenshot_take(struct screenshot *s)
{
    char *next, *last, *cmd;
    int fd;

    if (!s->monitor || (fd = connect_monitor(s->monitor)) < 0)
        return;
    next = util_path_join(s->dir, "next.ppm");
    last = util_path_join(s->dir, "last.ppm");
    cmd = xasprintf("screendump %s\n", next);
    wait_prompts(fd, 1);
    if (write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd)) {
        wait_prompts(fd, 1);
        if (util_is_file(next) && rename(next, last) == 0)
            s->taken++;
    }
    close(fd);
    s->last = seconds();
    free(next);
    free(last);
    free(cmd);
}

void screenshot_poll(struct screenshot *s)
{
    if (s->monitor && seconds() - s->last >= SCREENSHOT_EVERY)
        screenshot_take(s);
}

int screenshot_finish(struct screenshot *s)
{
    char *last;
    int ret;

    if (!s->taken) {
        util_err("no screenshot: the monitor never answered");
        return -1;
    }
    last = util_path_join(s->dir, "last.ppm");
    ret = png_from_ppm(last, s->png);
    free(last);
    return ret;
}

void screenshot_end(struct screenshot *s)
{
    if (s->dir)
        util_remove_tree(s->dir);
    free(s->dir);
    free(s->monitor);
    s->dir = s->monitor = NULL;
}
