/* kernel/lib/format.c: a small printf engine (no floating point) shared by
 * kprintf and ksnprintf. */
#include <stdbool.h>
#include <stdint.h>

#include "lib/format.h"
#include "lib/string.h"

#define NUM_BUF 24   /* 2^64 - 1 has 20 decimal digits */

struct fmt_out {
    fmt_sink_fn sink;
    void *ctx;
    size_t count;
};

struct fmt_spec {
    bool left;        /* '-': pad on the right */
    bool zero;        /* '0': pad numbers with zeros */
    unsigned width;
    unsigned longs;   /* 0: int, 1: long, 2: long long; 'z' counts as long */
};

static void emit(struct fmt_out *o, const char *s, size_t n)
{
    if (n == 0)
        return;
    o->sink(o->ctx, s, n);
    o->count += n;
}

static void pad(struct fmt_out *o, char c, size_t n)
{
    while (n--)
        emit(o, &c, 1);
}

/* prefix ("-", "0x") goes before zero padding, after space padding. */
static void emit_field(struct fmt_out *o, const struct fmt_spec *sp, const char *prefix,
                       const char *body, size_t len)
{
    size_t plen = strlen(prefix);
    size_t fill = sp->width > plen + len ? sp->width - plen - len : 0;

    if (!sp->left && !sp->zero)
        pad(o, ' ', fill);
    emit(o, prefix, plen);
    if (!sp->left && sp->zero)
        pad(o, '0', fill);
    emit(o, body, len);
    if (sp->left)
        pad(o, ' ', fill);
}

static void emit_number(struct fmt_out *o, const struct fmt_spec *sp, const char *prefix,
                        uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[NUM_BUF];
    size_t i = NUM_BUF;

    do {
        buf[--i] = digits[v % base];
        v /= base;
    } while (v);
    emit_field(o, sp, prefix, buf + i, NUM_BUF - i);
}

static uint64_t arg_unsigned(const struct fmt_spec *sp, va_list *ap)
{
    if (sp->longs == 0)
        return va_arg(*ap, unsigned int);
    if (sp->longs == 1)
        return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned long long);
}

static int64_t arg_signed(const struct fmt_spec *sp, va_list *ap)
{
    if (sp->longs == 0)
        return va_arg(*ap, int);
    if (sp->longs == 1)
        return va_arg(*ap, long);
    return va_arg(*ap, long long);
}

static void format_signed(struct fmt_out *o, const struct fmt_spec *sp, va_list *ap)
{
    int64_t v = arg_signed(sp, ap);
    /* Negate in unsigned arithmetic so INT64_MIN works. */
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

    emit_number(o, sp, v < 0 ? "-" : "", mag, 10, false);
}

static void format_string(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
    struct fmt_spec text = *sp;

    text.zero = false;
    if (!s)
        s = "(null)";
    emit_field(o, &text, "", s, strlen(s));
}

/* One conversion; conv is the character after the flags, width and length. */
static void format_one(struct fmt_out *o, struct fmt_spec *sp, char conv, va_list *ap)
{
    char c;

    switch (conv) {
    case 'd':
    case 'i':
        format_signed(o, sp, ap);
        break;
    case 'u':
        emit_number(o, sp, "", arg_unsigned(sp, ap), 10, false);
        break;
    case 'x':
    case 'X':
        emit_number(o, sp, "", arg_unsigned(sp, ap), 16, conv == 'X');
        break;
    case 'p':
        sp->zero = true;
        sp->width = 18;   /* "0x" and 16 digits */
        emit_number(o, sp, "0x", (uintptr_t)va_arg(*ap, void *), 16, false);
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        emit_field(o, sp, "", &c, 1);
        break;
    case 's':
        format_string(o, sp, va_arg(*ap, const char *));
        break;
    default:          /* "%%" and unknown conversions print as they are */
        emit(o, &conv, 1);
        break;
    }
}

/* Parse flags, width and length after '%'; returns the conversion's address. */
static const char *parse_spec(const char *f, struct fmt_spec *sp)
{
    *sp = (struct fmt_spec){0};
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (unsigned)(*f++ - '0');
    for (; *f == 'l' || *f == 'z'; f++)
        sp->longs++;   /* size_t is unsigned long here */
    if (sp->longs > 2)
        sp->longs = 2;
    return f;
}

size_t fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
    struct fmt_out o = {sink, ctx, 0};
    struct fmt_spec sp;
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        const char *lit = fmt;

        while (*fmt && *fmt != '%')
            fmt++;
        emit(&o, lit, (size_t)(fmt - lit));
        if (!*fmt)
            break;
        fmt = parse_spec(fmt + 1, &sp);
        if (!*fmt)
            break;
        format_one(&o, &sp, *fmt++, &args);
    }
    va_end(args);
    return o.count;
}

struct buf_sink {
    char *buf;
    size_t size;
    size_t len;
};

static void buf_write(void *ctx, const char *s, size_t n)
{
    struct buf_sink *b = ctx;

    for (size_t i = 0; i < n; i++, b->len++)
        if (b->len + 1 < b->size)
            b->buf[b->len] = s[i];
}

size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_sink b = {buf, size, 0};
    size_t n = fmt_vformat(buf_write, &b, fmt, ap);

    if (size > 0)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
