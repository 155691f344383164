/* services/ps2d/main.c: the PS/2 keyboard and mouse driver. It brings up
 * the 8042, then turns each interrupt's scan codes into key events for
 * input: and into the bytes a terminal sends, which it types into the
 * kernel console through debug:input (unless a console service took the
 * keys: input:console), and the mouse's packets into motion and button
 * events. Usage: ps2d [--keymap us|de|fr|uk]. On a machine without an 8042
 * it says so and exits 0 (a clean exit is not restarted). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i8042.h"
#include "input.h"
#include "keyboard.h"
#include "mouse.h"
#include "scancode.h"
#include "vtkeys.h"

#define KBD_IRQ_PATH "irq:1"
#define MOUSE_IRQ_PATH "irq:12"
#define CONSOLE_INPUT_PATH "debug:input"
#define PLATFORM_PATH "sys:platform"
#define DEFAULT_KEYMAP "us"
/* An edge the IO-APIC dropped while the line was masked would leave a byte
 * in the controller forever; look at it this often anyway. */
#define IDLE_POLL_MS 100
#define EXIT_USAGE 2
#define DRAIN_MAX 64   /* bytes taken a round: a missing controller reads "full" forever */

static struct keyboard kbd;
static struct scancode_state decoder;
static struct mouse mouse;
static int console_fd = -1;
static bool leds_pending;

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void type_into_console(const struct anvil_input_event *ev)
{
    char bytes[VTKEYS_MAX];
    size_t n = vtkeys_bytes(ev, bytes);

    if (input_console_taken())
        return;   /* a console service types keys into its terminals */
    if (n && console_fd >= 0 && write(console_fd, bytes, n) < 0)
        svc_log("ps2d: typing into the console: %s", strerror(errno));
}

static void handle_byte(uint8_t byte)
{
    struct anvil_input_event ev;
    uint16_t code;
    bool pressed;

    if (!scancode_feed(&decoder, byte, &code, &pressed))
        return;
    if (keyboard_key(&kbd, code, pressed, &ev))
        leds_pending = true;
    ev.time_ns = now_ns();
    input_post(&ev);
    type_into_console(&ev);
}

static void handle_mouse_byte(uint8_t byte)
{
    struct anvil_input_event ev[MOUSE_EVENTS_MAX];
    int n = mouse_feed(&mouse, byte, ev);

    for (int i = 0; i < n; i++) {
        ev[i].time_ns = now_ns();
        input_post(&ev[i]);
    }
}

static void drain(void)
{
    bool from_mouse;
    int b;

    for (int i = 0; i < DRAIN_MAX && (b = i8042_read_byte(&from_mouse)) >= 0; i++) {
        if (from_mouse)
            handle_mouse_byte((uint8_t)b);
        else
            handle_byte((uint8_t)b);
    }
    while (leds_pending) {
        leds_pending = false;
        i8042_set_leds(kbd.locks, handle_byte);
    }
}

/* "i8042 no" in sys:platform: the firmware says there is no controller. */
static bool firmware_says_absent(void)
{
    char buf[256];
    int fd = open(PLATFORM_PATH, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    return strstr(buf, "i8042 no\n") != NULL;
}

static const char *parse_args(int argc, char **argv)
{
    if (argc == 1)
        return DEFAULT_KEYMAP;
    if (argc == 3 && strcmp(argv[1], "--keymap") == 0)
        return argv[2];
    return NULL;
}

/* An interrupt that fired: drain the controller, then acknowledge it
 * (unmasking the line): 0, or -1. */
static int take_irq(int fd)
{
    uint64_t count;

    if (read(fd, &count, sizeof(count)) < 0)
        return -1;
    drain();
    return write(fd, &count, sizeof(count)) < 0 ? -1 : 0;
}

static int serve(int irq_fd, int mouse_fd, int scheme_fd)
{
    struct pollfd p[3] = {{.fd = scheme_fd, .events = POLLIN}, {.fd = irq_fd, .events = POLLIN},
                          {.fd = mouse_fd, .events = POLLIN}};

    for (;;) {
        if (poll(p, 3, IDLE_POLL_MS) < 0 && errno != EINTR)
            return 1;
        for (int i = 1; i < 3; i++)
            if ((p[i].revents & POLLIN) && take_irq(p[i].fd) < 0)
                return 1;
        drain();   /* what came between the last read and the acknowledgement */
        if ((p[0].revents & POLLIN) && svc_serve_once(scheme_fd, &input_ops) < 0)
            return 1;
    }
}

/* Controller, interrupt, console and scheme, in that order: the exit status
 * when one is missing (0 when there is simply no 8042), else -1. */
static int setup(int *irq_fd, int *mouse_fd, int *scheme_fd)
{
    bool has_mouse = false;
    int err;

    if (firmware_says_absent()) {
        svc_log("ps2d: the ACPI FADT says there is no 8042 keyboard controller; exiting");
        return 0;
    }
    if ((err = i8042_open_ports()) < 0) {
        svc_log("ps2d: cannot open the 8042's ports: %s", strerror(-err));
        return 1;
    }
    if ((err = i8042_init(&has_mouse)) == -ENODEV) {
        svc_log("ps2d: no 8042 keyboard controller answers (or it failed its self-test); exiting");
        return 0;
    }
    if (err < 0 || (*irq_fd = open(KBD_IRQ_PATH, O_RDWR)) < 0) {
        svc_log("ps2d: cannot set up the keyboard's interrupt: %s", strerror(err ? -err : errno));
        return 1;
    }
    if (has_mouse && (*mouse_fd = open(MOUSE_IRQ_PATH, O_RDWR)) < 0)
        svc_log("ps2d: a mouse answers, but %s: %s", MOUSE_IRQ_PATH, strerror(errno));
    if ((console_fd = open(CONSOLE_INPUT_PATH, O_WRONLY)) < 0)
        svc_log("ps2d: keys will not reach the console: %s: %s", CONSOLE_INPUT_PATH,
                strerror(errno));
    if ((*scheme_fd = svc_register("input")) < 0) {
        svc_log("ps2d: cannot register input: %s", strerror(-*scheme_fd));
        return 1;
    }
    fcntl(*scheme_fd, F_SETFL, O_NONBLOCK);
    input_set_fd(*scheme_fd);
    return -1;
}

int main(int argc, char **argv)
{
    const char *name = parse_args(argc, argv);
    int irq_fd = -1, mouse_fd = -1, scheme_fd = -1, st;

    if (!name || !(kbd.km = keymap_find(name))) {
        svc_log("ps2d: usage: ps2d [--keymap us|de|fr|uk]%s%s", name ? "; no keymap " : "",
                name ? name : "");
        return EXIT_USAGE;
    }
    if ((st = setup(&irq_fd, &mouse_fd, &scheme_fd)) >= 0)
        return st;
    svc_log("ps2d: keyboard ready, keymap %s%s", kbd.km->name, mouse_fd >= 0 ? "; mouse ready" : "");
    return serve(irq_fd, mouse_fd, scheme_fd);
}
