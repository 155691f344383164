/* kernel/console/console.c: the kernel console: one stream of text fanned out
 * to every sink compiled in. Sinks absent at run time (no UART, no
 * framebuffer) are skipped by the sink itself. */
#include "console/console.h"
#include "lib/kprintf.h"
#ifdef ANVIL_FEATURE_SERIAL
#include "dev/serial.h"
#endif
#ifdef ANVIL_FEATURE_FBCON
#include "console/fbcon.h"
#endif

/* Only written with interrupts off on the boot CPU. */
static size_t con_column;
/* A console service drawing the screen in the kernel's place (NULL: fbcon
 * draws), and the boot framebuffer (present is false without one). */
static void (*con_screen_taker)(char c);

/* What fbcon drew last, for a console service that takes the screen over:
 * it starts from the same text (boot lines included), not a blank screen.
 * Newlines are kept as CR LF, as a terminal wants them. */
#define HISTORY 8192
static char history[HISTORY];
static size_t history_end, history_len;

static void history_put(char c)
{
    history[history_end] = c;
    history_end = (history_end + 1) % HISTORY;
    if (history_len < HISTORY)
        history_len++;
}

static void history_record(char c)
{
    char last = history_len ? history[(history_end + HISTORY - 1) % HISTORY] : '\r';

    if (c == '\n' && last != '\r')
        history_put('\r');
    history_put(c);
}

size_t con_screen_history(char *buf, size_t size)
{
    size_t n = history_len < size ? history_len : size;
    size_t start = (history_end + HISTORY - n) % HISTORY;

    for (size_t i = 0; i < n; i++)
        buf[i] = history[(start + i) % HISTORY];
    return n;
}
static struct boot_framebuffer con_fb;   /* written at boot, read-only after */

void con_init(void)
{
#ifdef ANVIL_FEATURE_SERIAL
    serial_init();
#endif
    /* The firmware or loader may have left its cursor mid-line; our lines
     * must start at column 0. (The framebuffer is cleared when attached.) */
    con_putc('\n');
}

bool con_attach_fb(const struct boot_framebuffer *fb)
{
    if (fb->usable)
        con_fb = *fb;
#ifdef ANVIL_FEATURE_FBCON
    if (fbcon_init(fb))
        return true;
    if (fb->usable)
        kprintf("console: cannot map the framebuffer at 0x%lx\n", fb->phys);
    return false;
#else
    (void)fb;
    return false;
#endif
}

const struct boot_framebuffer *con_framebuffer(void)
{
    return con_fb.usable ? &con_fb : NULL;
}

void con_set_screen_taker(void (*take)(char c))
{
    bool given_back = con_screen_taker && !take;

    con_screen_taker = take;
#ifdef ANVIL_FEATURE_FBCON
    if (given_back)
        fbcon_reset();   /* the service's picture is not fbcon's: start clean */
#else
    (void)given_back;
#endif
}

void con_serial_write(const char *s, size_t n)
{
#ifdef ANVIL_FEATURE_SERIAL
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
#else
    (void)s, (void)n;
#endif
}

void con_putc(char c)
{
#ifdef ANVIL_FEATURE_SERIAL
    serial_putc(c);
#endif
    if (con_screen_taker) {
        con_screen_taker(c);
    } else {
        history_record(c);
#ifdef ANVIL_FEATURE_FBCON
        fbcon_putc(c);
#endif
    }
    if (c == '\n' || c == '\r')
        con_column = 0;
    else if (c == '\b')
        con_column = con_column ? con_column - 1 : 0;
    else
        con_column++;
}

void con_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        con_putc(s[i]);
}

void con_begin_line(void)
{
    if (con_column != 0)
        con_putc('\n');
}

void con_flush(void)
{
#ifdef ANVIL_FEATURE_SERIAL
    serial_flush();
#endif
}
