/* services/ps2d/i8042.c: the 8042 controller (IBM PS/2 Technical Reference,
 * "Keyboard/Auxiliary Device Controller") and keyboard commands (ibid.,
 * "Keyboard"). Every wait is bounded: a missing controller reads 0xff on
 * both ports, and a firmware-emulated one may never answer a command. */
#include <anvil/input.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "i8042.h"
#include "port.h"
#include "svc.h"

#define DATA_PORT 0x60
#define STATUS_PORT 0x64           /* read: status; write: controller command */
#define STATUS_OUT_FULL 0x01       /* a byte waits for us in DATA_PORT */
#define STATUS_IN_FULL 0x02        /* the controller has not taken our last byte */
#define STATUS_AUX 0x20            /* the waiting byte is from the second (mouse) port */

#define CMD_READ_CONFIG 0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_DISABLE_AUX 0xa7
#define CMD_ENABLE_AUX 0xa8
#define CMD_TEST_AUX_PORT 0xa9
#define CMD_WRITE_AUX 0xd4         /* the next data byte goes to the mouse */
#define CMD_SELF_TEST 0xaa
#define CMD_TEST_KBD_PORT 0xab
#define CMD_DISABLE_KBD 0xad
#define CMD_ENABLE_KBD 0xae
#define SELF_TEST_OK 0x55
#define PORT_TEST_OK 0x00

#define CONFIG_KBD_IRQ 0x01
#define CONFIG_AUX_IRQ 0x02
#define CONFIG_KBD_CLOCK_OFF 0x10
#define CONFIG_AUX_CLOCK_OFF 0x20
#define CONFIG_TRANSLATE 0x40      /* the controller turns set 2 into set 1 */

#define KBD_SET_LEDS 0xed
#define KBD_TYPEMATIC 0xf3
#define KBD_ENABLE 0xf4
#define KBD_RESET 0xff
#define KBD_ACK 0xfa
#define KBD_RESEND 0xfe
#define KBD_BAT_OK 0xaa            /* the keyboard's power-on self-test passed */
#define MOUSE_DEFAULTS 0xf6        /* 100 samples/s, 4 counts/mm, stream mode, off */
#define MOUSE_ENABLE 0xf4          /* data reporting on */
/* 500 ms before repeating, then 30 characters a second: PC defaults that
 * firmware may have changed. */
#define TYPEMATIC_500MS_30CPS 0x20

#define LED_SCROLL 0x01
#define LED_NUM 0x02
#define LED_CAPS 0x04

#define WAIT_MS 100                /* a controller answers in microseconds */
#define RESET_WAIT_MS 1000         /* a keyboard's self-test takes up to 500 ms or so */
#define FLUSH_MAX 64               /* bytes drained before giving up on a jammed buffer */
#define RESEND_TRIES 3

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int i8042_open_ports(void)
{
    int a = open("ioport:0x60", O_RDWR), b = open("ioport:0x64", O_RDWR);
    int err = a < 0 || b < 0 ? -errno : 0;

    /* the ports stay ours after close (docs/schemes.md) */
    if (a >= 0)
        close(a);
    if (b >= 0)
        close(b);
    return err;
}

static bool wait_status(uint8_t bit, bool set, int ms)
{
    uint64_t end = now_ms() + (uint64_t)ms;

    do {
        if (((port_in(STATUS_PORT) & bit) != 0) == set)
            return true;
    } while (now_ms() < end);
    return false;
}

static bool write_port(uint16_t port, uint8_t v)
{
    if (!wait_status(STATUS_IN_FULL, false, WAIT_MS))
        return false;
    port_out(port, v);
    return true;
}

/* The next byte from the controller within ms: it, or -1. */
static int read_data(int ms)
{
    if (!wait_status(STATUS_OUT_FULL, true, ms))
        return -1;
    return port_in(DATA_PORT);
}

static void flush(void)
{
    for (int i = 0; i < FLUSH_MAX && (port_in(STATUS_PORT) & STATUS_OUT_FULL); i++)
        (void)port_in(DATA_PORT);
}

/* A controller command, and its one-byte answer when want_reply: it, or -1. */
static int controller(uint8_t cmd, bool want_reply)
{
    if (!write_port(STATUS_PORT, cmd))
        return -1;
    return want_reply ? read_data(WAIT_MS) : 0;
}

static bool write_config(uint8_t config)
{
    return controller(CMD_WRITE_CONFIG, false) == 0 && write_port(DATA_PORT, config);
}

/* Send a byte to the keyboard until it acknowledges; bytes that are not its
 * answer (keys typed meanwhile) go to other. */
static bool kbd_send(uint8_t v, i8042_byte_fn other)
{
    for (int tries = 0; tries < RESEND_TRIES; tries++) {
        int r;
        if (!write_port(DATA_PORT, v))
            return false;
        while ((r = read_data(WAIT_MS)) >= 0 && r != KBD_ACK && r != KBD_RESEND)
            if (other)
                other((uint8_t)r);
        if (r == KBD_ACK)
            return true;
        if (r < 0)
            return false;
    }
    return false;
}

/* Reset the keyboard and set its repeat rate, LEDs off, scanning on. */
static int keyboard_init(void)
{
    int bat;

    if (!kbd_send(KBD_RESET, NULL))
        return -EIO;
    bat = read_data(RESET_WAIT_MS);
    if (bat != KBD_BAT_OK)
        svc_log("ps2d: keyboard self-test answered %#x; going on", bat);
    if (!kbd_send(KBD_TYPEMATIC, NULL) || !kbd_send(TYPEMATIC_500MS_30CPS, NULL))
        svc_log("ps2d: keyboard refused its repeat rate; keeping its own");
    i8042_set_leds(0, NULL);
    return kbd_send(KBD_ENABLE, NULL) ? 0 : -EIO;
}

/* The controller itself: ports off, buffer drained, self-test passed, the
 * keyboard port on with translation, interrupts still off. */
static int controller_init(uint8_t *config)
{
    int c;

    if (controller(CMD_DISABLE_KBD, false) < 0 || controller(CMD_DISABLE_AUX, false) < 0)
        return -ENODEV;
    flush();
    if ((c = controller(CMD_READ_CONFIG, true)) < 0)
        return -ENODEV;
    *config = (uint8_t)((c & ~(CONFIG_KBD_IRQ | CONFIG_AUX_IRQ | CONFIG_KBD_CLOCK_OFF)) |
                        CONFIG_TRANSLATE);
    if (!write_config(*config) || controller(CMD_SELF_TEST, true) != SELF_TEST_OK)
        return -ENODEV;
    /* some controllers come out of the self-test reset: say it again */
    if (!write_config(*config))
        return -ENODEV;
    if ((c = controller(CMD_TEST_KBD_PORT, true)) != PORT_TEST_OK)
        svc_log("ps2d: keyboard port test answered %d; going on", c);
    return controller(CMD_ENABLE_KBD, false) < 0 ? -ENODEV : 0;
}

/* A byte for the mouse, through the controller, until it acknowledges. */
static bool mouse_send(uint8_t v)
{
    for (int tries = 0; tries < RESEND_TRIES; tries++) {
        int r;
        if (controller(CMD_WRITE_AUX, false) < 0 || !write_port(DATA_PORT, v))
            return false;
        while ((r = read_data(WAIT_MS)) >= 0 && r != KBD_ACK && r != KBD_RESEND)
            ;   /* a packet still on its way */
        if (r == KBD_ACK)
            return true;
        if (r < 0)
            return false;
    }
    return false;
}

/* The second port and a mouse on it: defaults (no reset: touchpads behind
 * embedded controllers take seconds over it), reporting on. */
static bool mouse_init(uint8_t *config)
{
    if (controller(CMD_ENABLE_AUX, false) < 0 || controller(CMD_TEST_AUX_PORT, true) != PORT_TEST_OK)
        return false;
    *config = (uint8_t)(*config & ~CONFIG_AUX_CLOCK_OFF);
    if (!write_config(*config) || !mouse_send(MOUSE_DEFAULTS) || !mouse_send(MOUSE_ENABLE)) {
        controller(CMD_DISABLE_AUX, false);
        *config = (uint8_t)(*config | CONFIG_AUX_CLOCK_OFF);
        return false;
    }
    *config = (uint8_t)(*config | CONFIG_AUX_IRQ);
    return true;
}

int i8042_init(bool *mouse)
{
    uint8_t config;
    int err = controller_init(&config);

    if (err)
        return err;
    if ((err = keyboard_init()) < 0)
        svc_log("ps2d: the keyboard does not answer; waiting for keys anyway");
    *mouse = mouse_init(&config);
    flush();
    return write_config(config | CONFIG_KBD_IRQ) ? 0 : -EIO;
}

int i8042_read_byte(bool *from_mouse)
{
    uint8_t st = port_in(STATUS_PORT);

    if (!(st & STATUS_OUT_FULL))
        return -1;
    *from_mouse = (st & STATUS_AUX) != 0;
    return port_in(DATA_PORT);
}

void i8042_set_leds(unsigned locks, i8042_byte_fn other)
{
    uint8_t leds = (uint8_t)(((locks & ANVIL_MOD_SCROLLLOCK) ? LED_SCROLL : 0) |
                             ((locks & ANVIL_MOD_NUMLOCK) ? LED_NUM : 0) |
                             ((locks & ANVIL_MOD_CAPSLOCK) ? LED_CAPS : 0));

    if (!kbd_send(KBD_SET_LEDS, other) || !kbd_send(leds, other))
        svc_log("ps2d: the keyboard did not take its LEDs");
}
