/* kernel/lib/kassert.h: kassert(expr) for kernel invariants. On in every
 * build; a failure panics with the expression, file:line and function.
 * Never use it on input from outside the kernel: reject that with an errno. */
#ifndef ANVIL_LIB_KASSERT_H
#define ANVIL_LIB_KASSERT_H

#include <stdnoreturn.h>

noreturn void kassert_fail(const char *expr, const char *file, int line, const char *func);

#define kassert(expr) \
    ((expr) ? (void)0 : kassert_fail(#expr, __FILE__, __LINE__, __func__))

#endif
