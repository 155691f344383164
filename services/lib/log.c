/* services/lib/log.c: daemon messages to the console, one line per call. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "svc.h"

#define LOG_LINE_MAX 512

void svc_log(const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    write(2, line, (size_t)n);
}
