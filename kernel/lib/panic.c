/* kernel/lib/panic.c: the panic path. It is the one place in lib/ that calls
 * upward (console through kprintf, power off): it has to reach the user and
 * stop the machine whatever state the rest is in. */
#include <anvil/exit.h>
#include <stdarg.h>

#include "arch/x86_64/cpu.h"
#include "console/console.h"
#include "lib/kassert.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "power.h"

/* Per-CPU in spirit; with one CPU a plain counter. Counts nested panics. */
static int panic_depth;

static noreturn void panic_report(const struct x86_regs *r, const char *fmt, va_list ap)
{
    x86_cli();
    con_set_screen_taker(NULL);   /* a console service may be what broke */
    if (++panic_depth > 1) {
        /* A panic while panicking (a fault in the console, say): report as
         * little as possible, and if even that fails, just stop. */
        if (panic_depth == 2) {
            con_begin_line();
            kprintf("panic: nested panic\n");
            power_off(ANVIL_EXIT_PANIC);
        }
        x86_halt_forever();
    }
    con_begin_line();
    kprintf("panic: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    x86_regs_dump(r);
    power_off(ANVIL_EXIT_PANIC);
}

noreturn void panic(const char *fmt, ...)
{
    struct x86_regs r;
    va_list ap;

    x86_regs_capture(&r);
    va_start(ap, fmt);
    panic_report(&r, fmt, ap);
}

noreturn void panic_regs(const struct x86_regs *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    panic_report(r, fmt, ap);
}

noreturn void kassert_fail(const char *expr, const char *file, int line, const char *func)
{
    panic("assertion failed: %s at %s:%d in %s()", expr, file, line, func);
}
