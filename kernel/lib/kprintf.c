/* kernel/lib/kprintf.c: formatted output to the kernel console. */
#include "console/console.h"
#include "lib/format.h"
#include "lib/klog.h"
#include "lib/kprintf.h"

static void con_sink(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    con_write(s, n);
    klog_write(s, n);
}

size_t kvprintf(const char *fmt, va_list ap)
{
    return fmt_vformat(con_sink, NULL, fmt, ap);
}

size_t kprintf(const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
