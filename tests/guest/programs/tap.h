/* tests/guest/programs/tap.h: Test Anything Protocol output for the guest test programs.
 * Each check prints "ok N - what" or "not ok N - what"; tap_done() prints the plan last. */
#ifndef ANVIL_TESTS_GUEST_PROGRAMS_TAP_H
#define ANVIL_TESTS_GUEST_PROGRAMS_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_count;   /* checks printed so far */
static int tap_failed;  /* of those, how many failed */

static inline bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One check. Returns cond so a caller can add diagnostics when it fails. Every line is
 * flushed at once, so a later fork cannot print it twice and a crash cannot lose it. */
static inline bool tap_ok(bool cond, const char *fmt, ...)
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

/* A "# ..." comment line: context for a human reading a failure. */
static inline void tap_diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

/* A check that cannot run here; TAP counts it as passed. */
static inline void tap_skip(const char *what, const char *why)
{
    tap_count++;
    printf("ok %d - %s # SKIP %s\n", tap_count, what, why);
    fflush(stdout);
}

static inline bool tap_is_long(long got, long want, const char *what)
{
    if (tap_ok(got == want, "%s", what))
        return true;
    tap_diag("got %ld, want %ld", got, want);
    return false;
}

/* A call that must fail: it returned -1 and set errno to want_errno. */
static inline bool tap_fails_with(long ret, int want_errno, const char *what)
{
    int got_errno = errno;

    if (tap_ok(ret == -1 && got_errno == want_errno, "%s", what))
        return true;
    tap_diag("returned %ld, errno %d (%s); want -1 with errno %d (%s)", ret, got_errno,
             strerror(got_errno), want_errno, strerror(want_errno));
    return false;
}

/* Print the plan and give main's exit status: 0 only when every check passed. */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_count);
    fflush(stdout);
    return tap_failed ? 1 : 0;
}

#endif
