/* kernel/lib/panic.h: stopping the kernel on a state that cannot happen.
 * Prints "panic: <reason>", the registers and a backtrace, then powers off
 * with ANVIL_EXIT_PANIC (include/anvil/exit.h). */
#ifndef ANVIL_LIB_PANIC_H
#define ANVIL_LIB_PANIC_H

#include <stdnoreturn.h>

#include "arch/x86_64/regs.h"

noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* As panic, with the registers saved by an exception. */
noreturn void panic_regs(const struct x86_regs *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
