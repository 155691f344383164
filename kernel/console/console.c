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

void con_putc(char c)
{
#ifdef ANVIL_FEATURE_SERIAL
    serial_putc(c);
#endif
#ifdef ANVIL_FEATURE_FBCON
    fbcon_putc(c);
#endif
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
