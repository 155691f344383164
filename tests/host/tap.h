/* tests/host/tap.h: the Test Anything Protocol for host unit tests, read by prove. */
#ifndef ANVIL_TESTS_TAP_H
#define ANVIL_TESTS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

/* Record one test result; returns cond so callers can add diagnostics on failure. */
static inline int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static inline int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;

    tap_count++;
    if (!cond)
        tap_failed++;
    printf("%s %d - ", cond ? "ok" : "not ok", tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return cond;
}

#define tap_is_str(got, want, name)                                              \
    do {                                                                         \
        const char *g_ = (got), *w_ = (want);                                    \
        if (!tap_ok(g_ && w_ && strcmp(g_, w_) == 0, "%s", name))                \
            printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_);   \
    } while (0)

#define tap_is_int(got, want, name)                                              \
    do {                                                                         \
        long long g_ = (long long)(got), w_ = (long long)(want);                 \
        if (!tap_ok(g_ == w_, "%s", name))                                       \
            printf("#   got:  %lld\n#   want: %lld\n", g_, w_);                  \
    } while (0)

static inline void tap_diag(const char *msg)
{
    printf("# %s\n", msg);
}

/* Print the plan at the end (TAP allows it last) and give the exit status. */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

#endif
