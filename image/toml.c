/* image/toml.c: a TOML 1.0 parser (https://toml.io/en/v1.0.0) for mkimage. Every key
 * and value remembers where it was written; lines and columns count from 1 and a
 * column counts bytes, so a tab or a multi-byte character is one column per byte. */
#include "toml.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tables and arrays nest at most this deep (the root is depth 0). Deeper input is
 * refused so that parsing, toml_clone and toml_free cannot exhaust the stack. */
#define TOML_MAX_DEPTH 128

/* toml_value.flags: how a table or array came to be, for the redefinition rules
 * of TOML 1.0 "Table", "Inline Table" and "Array of Tables". */
#define TF_DEFINED 0x1u /* table opened by a [header] */
#define TF_INLINE 0x2u  /* inline table or array value: sealed once written */
#define TF_DOTTED 0x4u  /* table created by a dotted key */
#define TF_AOT 0x8u     /* array built by [[header]] */

#define UTF8_BOM "\xEF\xBB\xBF"

/* Unicode scalar values are 0..0x10FFFF minus the surrogates (Unicode 15.0 §3.9 D76). */
#define UNICODE_MAX 0x10FFFFu
#define SURROGATE_FIRST 0xD800u
#define SURROGATE_LAST 0xDFFFu

struct parser {
    const char *p;          /* cursor */
    const char *end;
    const char *line_start; /* first byte of the cursor's line, for columns */
    int line;
    struct toml_error *err;
    bool failed;            /* only the first error is reported */
    struct toml_value *root;
    struct toml_value *cur; /* table that key/value lines go into */
    int cur_depth;
    char path[128];         /* scratch: a dotted key path for messages */
};

/* A key as written: its dotted parts and where each part starts. */
struct key {
    char *part[TOML_MAX_DEPTH];
    struct toml_pos pos[TOML_MAX_DEPTH];
    int n;
};

/* A growing byte string. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
};

static struct toml_value *parse_value(struct parser *ps, int depth);
static bool parse_keyval(struct parser *ps, struct toml_value *t, int depth);

/* ---- errors and the cursor ---- */

/* Position of a byte on the cursor's line. */
static struct toml_pos pos_at(const struct parser *ps, const char *at)
{
    struct toml_pos pos = { ps->line, (int)(at - ps->line_start) + 1 };

    return pos;
}

static struct toml_pos here(const struct parser *ps)
{
    return pos_at(ps, ps->p);
}

static void vfail(struct parser *ps, struct toml_pos pos, const char *fmt, va_list ap)
{
    if (ps->failed)
        return;
    ps->failed = true;
    ps->err->line = pos.line;
    ps->err->col = pos.col;
    vsnprintf(ps->err->msg, sizeof ps->err->msg, fmt, ap);
}

/* Record an error (the first one wins); false so callers can return it. */
static bool fail(struct parser *ps, struct toml_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct parser *ps, struct toml_pos pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(ps, pos, fmt, ap);
    va_end(ap);
    return false;
}

/* The same, for functions that return a pointer. */
static void *fail_null(struct parser *ps, struct toml_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void *fail_null(struct parser *ps, struct toml_pos pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(ps, pos, fmt, ap);
    va_end(ap);
    return NULL;
}

static bool out_of_memory(struct parser *ps)
{
    return fail(ps, here(ps), "out of memory");
}

/* The byte off bytes past the cursor, or -1 past the end. */
static int peek_at(const struct parser *ps, size_t off)
{
    return (size_t)(ps->end - ps->p) > off ? (unsigned char)ps->p[off] : -1;
}

static int peek(const struct parser *ps)
{
    return peek_at(ps, 0);
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Characters of a bare key (TOML 1.0 "Keys"); ASCII only, whatever the locale. */
static bool is_bare(int c)
{
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-';
}

/* U+0000..U+001F except tab, and U+007F: refused in strings and comments. */
static bool is_control(int c)
{
    return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7F;
}

/* Name a byte for a message. */
static const char *describe(int c, char *out, size_t n)
{
    if (c < 0)
        return "end of input";
    if (c == '\n' || c == '\r')
        return "end of line";
    if (c > 0x20 && c < 0x7F)
        snprintf(out, n, "'%c'", c);
    else if (c == ' ' || c == '\t')
        snprintf(out, n, "whitespace");
    else
        snprintf(out, n, "byte 0x%02X", (unsigned)c);
    return out;
}

static bool at_newline(const struct parser *ps)
{
    int c = peek(ps);

    return c == '\n' || (c == '\r' && peek_at(ps, 1) == '\n');
}

/* Consume LF or CRLF and start a new line; false if there is none. */
static bool eat_newline(struct parser *ps)
{
    if (!at_newline(ps))
        return false;
    ps->p += *ps->p == '\r' ? 2 : 1;
    ps->line++;
    ps->line_start = ps->p;
    return true;
}

static void skip_ws(struct parser *ps)
{
    while (peek(ps) == ' ' || peek(ps) == '\t')
        ps->p++;
}

/* A '#' comment up to (not including) the end of the line. */
static bool skip_comment(struct parser *ps)
{
    if (peek(ps) != '#')
        return true;
    for (ps->p++; ps->p < ps->end && !at_newline(ps); ps->p++) {
        int c = (unsigned char)*ps->p;

        if (is_control(c))
            return fail(ps, here(ps), "control character U+%04X in comment", (unsigned)c);
    }
    return true;
}

static bool lone_cr(struct parser *ps)
{
    return fail(ps, here(ps), "carriage return not followed by a line feed");
}

/* Whitespace, comments and newlines, as allowed between array items. */
static bool skip_blank(struct parser *ps)
{
    for (;;) {
        skip_ws(ps);
        if (!skip_comment(ps))
            return false;
        if (!eat_newline(ps))
            return peek(ps) == '\r' ? lone_cr(ps) : true;
    }
}

/* After a header or key/value pair only whitespace and a comment may follow. */
static bool expect_eol(struct parser *ps, const char *after)
{
    char tmp[16];

    skip_ws(ps);
    if (!skip_comment(ps))
        return false;
    if (ps->p == ps->end || eat_newline(ps))
        return true;
    if (peek(ps) == '\r')
        return lone_cr(ps);
    return fail(ps, here(ps), "expected newline or comment after %s, found %s", after,
                describe(peek(ps), tmp, sizeof tmp));
}

/* ---- UTF-8 ---- */

static bool is_scalar(uint32_t cp)
{
    return cp <= UNICODE_MAX && (cp < SURROGATE_FIRST || cp > SURROGATE_LAST);
}

/* Bytes in the UTF-8 sequence at s (1-4), or 0 when it is malformed, overlong,
 * a surrogate or above U+10FFFF (RFC 3629 §3). */
static int utf8_seq_len(const unsigned char *s, size_t avail)
{
    uint32_t cp, min;
    int n;

    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, cp = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, cp = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, cp = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)n > avail)
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || !is_scalar(cp))
        return 0;
    return n;
}

/* TOML documents must be valid UTF-8; check it all up front. */
static bool check_utf8(struct parser *ps)
{
    const unsigned char *s = (const unsigned char *)ps->p;
    const unsigned char *end = (const unsigned char *)ps->end;
    const unsigned char *line_start = (const unsigned char *)ps->line_start;
    int line = 1;

    while (s < end) {
        int n = utf8_seq_len(s, (size_t)(end - s));

        if (n == 0) {
            struct toml_pos pos = { line, (int)(s - line_start) + 1 };

            return fail(ps, pos, "invalid UTF-8 (byte 0x%02X)", *s);
        }
        if (*s == '\n') {
            line++;
            line_start = s + 1;
        }
        s += n;
    }
    return true;
}

static int utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- byte strings ---- */

static bool buf_append(struct buf *b, const char *s, size_t n)
{
    if (n + 1 > b->cap - b->len || !b->data) {
        size_t cap = b->cap ? b->cap : 32;
        char *data;

        while (cap - b->len < n + 1) {
            if (cap > SIZE_MAX / 2)
                return false;
            cap *= 2;
        }
        data = realloc(b->data, cap);
        if (!data)
            return false;
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static bool add(struct parser *ps, struct buf *b, const char *s, size_t n)
{
    return buf_append(b, s, n) || out_of_memory(ps);
}

/* ---- strings (TOML 1.0 "String") ---- */

/* Copy one content byte at the cursor, refusing control characters. */
static bool str_char(struct parser *ps, struct buf *b)
{
    int c = peek(ps);

    if (c == 0)
        return fail(ps, here(ps), "NUL byte in string");
    if (is_control(c))
        return fail(ps, here(ps), "control character U+%04X in string", (unsigned)c);
    if (!add(ps, b, ps->p, 1))
        return false;
    ps->p++;
    return true;
}

static int hex_value(int c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* \uXXXX or \UXXXXXXXX at the cursor: a Unicode scalar value, stored as UTF-8. */
static bool parse_unicode(struct parser *ps, struct buf *b, int ndigits)
{
    uint32_t cp = 0;
    char utf8[4];

    for (int i = 0; i < ndigits; i++) {
        int h = hex_value(peek_at(ps, 2 + (size_t)i));

        if (h < 0)
            return fail(ps, here(ps), "escape '\\%c' needs %d hex digits", ps->p[1], ndigits);
        cp = cp << 4 | (uint32_t)h;
    }
    if (cp == 0)  /* the API hands out C strings */
        return fail(ps, here(ps), "escape for U+0000 not supported (strings cannot hold NUL)");
    if (!is_scalar(cp))
        return fail(ps, here(ps), "escape U+%04X is not a Unicode scalar value", (unsigned)cp);
    ps->p += 2 + ndigits;
    return add(ps, b, utf8, (size_t)utf8_encode(cp, utf8));
}

/* A backslash escape in a basic string. */
static bool parse_escape(struct parser *ps, struct buf *b)
{
    static const char from[] = "btnfr\"\\";
    static const char to[] = "\b\t\n\f\r\"\\";
    int c = peek_at(ps, 1);
    const char *hit = c > 0 ? strchr(from, c) : NULL;

    if (hit) {
        ps->p += 2;
        return add(ps, b, &to[hit - from], 1);
    }
    if (c == 'u' || c == 'U')
        return parse_unicode(ps, b, c == 'u' ? 4 : 8);
    if (c > 0x20 && c < 0x7F)
        return fail(ps, here(ps), "invalid escape '\\%c'", c);
    if (c < 0 || c == '\n' || c == '\r')
        return fail(ps, here(ps), "invalid escape: '\\' at the end of the %s",
                    c < 0 ? "input" : "line");
    return fail(ps, here(ps), "invalid escape: '\\' followed by whitespace or a control character");
}

/* "..." (escapes) or '...' (none), with the cursor on the opening quote. */
static bool parse_one_line(struct parser *ps, struct buf *b, char quote)
{
    struct toml_pos start = here(ps);

    ps->p++;
    for (;;) {
        int c = peek(ps);

        if (c < 0 || at_newline(ps))
            return fail(ps, start, "unterminated string");
        if (c == quote) {
            ps->p++;
            return true;
        }
        if (!(quote == '"' && c == '\\' ? parse_escape(ps, b) : str_char(ps, b)))
            return false;
    }
}

/* At a run of quote characters q in a multi-line string: three close it, and up to
 * two more just before them are content. Returns 1 when closed, 0 to go on, -1 on error. */
static int ml_quotes(struct parser *ps, struct buf *b, char q)
{
    size_t n = 0;

    while (peek_at(ps, n) == q)
        n++;
    if (n > 5) {
        fail(ps, pos_at(ps, ps->p + 5), "too many quotes at the end of a multi-line string");
        return -1;
    }
    if (!add(ps, b, ps->p, n < 3 ? n : n - 3))
        return -1;
    ps->p += n;
    return n >= 3;
}

/* Does a backslash at the cursor end the line (only whitespace up to the newline)? */
static bool line_continues(const struct parser *ps)
{
    size_t i = 1;

    while (peek_at(ps, i) == ' ' || peek_at(ps, i) == '\t')
        i++;
    return peek_at(ps, i) == '\n' || (peek_at(ps, i) == '\r' && peek_at(ps, i + 1) == '\n');
}

static void skip_ws_newlines(struct parser *ps)
{
    do
        skip_ws(ps);
    while (eat_newline(ps));
}

/* A newline inside a multi-line string; CRLF is stored as LF. */
static bool ml_newline(struct parser *ps, struct buf *b)
{
    return eat_newline(ps) && add(ps, b, "\n", 1);
}

/* """...""" (escapes, line-ending backslashes) or '''...''' (neither), with the
 * cursor on the opening quotes. */
static bool parse_multiline(struct parser *ps, struct buf *b, char quote)
{
    struct toml_pos start = here(ps);
    bool basic = quote == '"';
    int closed;

    ps->p += 3;
    eat_newline(ps);  /* a newline right after the delimiter is trimmed */
    for (;;) {
        int c = peek(ps);

        if (c < 0)
            return fail(ps, start, "unterminated multi-line string");
        if (c == quote) {
            closed = ml_quotes(ps, b, quote);
            if (closed)
                return closed > 0;
        } else if (basic && c == '\\' && line_continues(ps)) {
            ps->p++;
            skip_ws_newlines(ps);
        } else if (basic && c == '\\') {
            if (!parse_escape(ps, b))
                return false;
        } else if (at_newline(ps)) {
            if (!ml_newline(ps, b))
                return false;
        } else if (!str_char(ps, b)) {
            return false;
        }
    }
}

/* Any of the four string forms at the cursor; keys may not be multi-line. */
static char *parse_string(struct parser *ps, bool is_key)
{
    struct buf b = { NULL, 0, 0 };
    int q = peek(ps);
    bool triple = peek_at(ps, 1) == q && peek_at(ps, 2) == q;
    bool ok;

    if (triple && is_key)
        return fail_null(ps, here(ps), "a key cannot be a multi-line string");
    if (q == '"')
        ok = triple ? parse_multiline(ps, &b, '"') : parse_one_line(ps, &b, '"');
    else
        ok = triple ? parse_multiline(ps, &b, '\'') : parse_one_line(ps, &b, '\'');
    if (ok && !b.data)
        ok = add(ps, &b, "", 0);  /* the empty string */
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

/* ---- keys (TOML 1.0 "Keys") ---- */

static void key_free(struct key *k)
{
    for (int i = 0; i < k->n; i++)
        free(k->part[i]);
    k->n = 0;
}

static bool parse_simple_key(struct parser *ps, struct key *k)
{
    const char *s = ps->p;
    int c = peek(ps);
    char tmp[16];

    if (k->n == TOML_MAX_DEPTH)
        return fail(ps, here(ps), "key has too many parts");
    k->pos[k->n] = here(ps);
    if (c == '"' || c == '\'') {
        k->part[k->n] = parse_string(ps, true);
        if (!k->part[k->n])
            return false;
    } else {
        while (is_bare(peek(ps)))
            ps->p++;
        if (ps->p == s)
            return fail(ps, here(ps), "expected a key, found %s", describe(c, tmp, sizeof tmp));
        k->part[k->n] = strndup(s, (size_t)(ps->p - s));
        if (!k->part[k->n])
            return out_of_memory(ps);
    }
    k->n++;
    return true;
}

/* key = simple-key *( ws '.' ws simple-key ), leaving the cursor after trailing ws. */
static bool parse_key(struct parser *ps, struct key *k)
{
    for (;;) {
        if (!parse_simple_key(ps, k))
            return false;
        skip_ws(ps);
        if (peek(ps) != '.')
            return true;
        ps->p++;
        skip_ws(ps);
    }
}

/* The first parts of a key, "a.b.c", for messages (cut short if long). */
static const char *key_path(struct parser *ps, const struct key *k, int last)
{
    size_t n = 0;

    ps->path[0] = '\0';
    for (int i = 0; i <= last; i++) {
        int w = snprintf(ps->path + n, sizeof ps->path - n, "%s%s", i ? "." : "", k->part[i]);

        if (w < 0 || (size_t)w >= sizeof ps->path - n)
            break;
        n += (size_t)w;
    }
    return ps->path;
}

/* ---- values and tables ---- */

static struct toml_value *alloc_value(enum toml_type type, struct toml_pos pos)
{
    struct toml_value *v = calloc(1, sizeof *v);

    if (v) {
        v->type = type;
        v->pos = pos;
    }
    return v;
}

static struct toml_value *new_value(struct parser *ps, enum toml_type type, struct toml_pos pos)
{
    struct toml_value *v = alloc_value(type, pos);

    if (!v)
        out_of_memory(ps);
    return v;
}

/* Items grow in powers of two from 4, so the capacity follows from len alone.
 * Tables and arrays must therefore only be grown through toml_set and toml_push. */
static bool full(size_t len)
{
    return len == 0 || (len >= 4 && (len & (len - 1)) == 0);
}

static struct toml_kv *table_add(struct toml_value *t, char *key, struct toml_pos pos,
                                 struct toml_value *val)
{
    struct toml_kv *kv;

    if (full(t->u.tab.len)) {
        size_t cap = t->u.tab.len ? t->u.tab.len * 2 : 4;
        struct toml_kv *items = realloc(t->u.tab.items, cap * sizeof *items);

        if (!items)
            return NULL;
        t->u.tab.items = items;
    }
    kv = &t->u.tab.items[t->u.tab.len++];
    kv->key = key;
    kv->pos = pos;
    kv->val = val;
    return kv;
}

static bool array_add(struct toml_value *a, struct toml_value *val)
{
    if (full(a->u.arr.len)) {
        size_t cap = a->u.arr.len ? a->u.arr.len * 2 : 4;
        struct toml_value **items = realloc(a->u.arr.items, cap * sizeof *items);

        if (!items)
            return false;
        a->u.arr.items = items;
    }
    a->u.arr.items[a->u.arr.len++] = val;
    return true;
}

static struct toml_kv *table_find(const struct toml_value *t, const char *key)
{
    for (size_t i = 0; i < t->u.tab.len; i++) {
        if (strcmp(t->u.tab.items[i].key, key) == 0)
            return &t->u.tab.items[i];
    }
    return NULL;
}

/* Put val (taken) under a copy of key in t; NULL after failing the parse. */
static struct toml_value *put(struct parser *ps, struct toml_value *t, const char *key,
                              struct toml_pos kpos, struct toml_value *val)
{
    char *k = strdup(key);

    if (!k || !table_add(t, k, kpos, val)) {
        free(k);
        toml_free(val);
        out_of_memory(ps);
        return NULL;
    }
    return val;
}

/* A new empty table or array under key in t. */
static struct toml_value *put_new(struct parser *ps, struct toml_value *t, const char *key,
                                  struct toml_pos kpos, enum toml_type type,
                                  struct toml_pos vpos, unsigned flags)
{
    struct toml_value *v = new_value(ps, type, vpos);

    if (!v)
        return NULL;
    v->flags = flags;
    return put(ps, t, key, kpos, v);
}

static const char *how_defined(const struct toml_value *v)
{
    static const char *const scalar[] = {
        [TOML_STRING] = "as a string",     [TOML_INTEGER] = "as an integer",
        [TOML_FLOAT] = "as a float",       [TOML_BOOLEAN] = "as a boolean",
        [TOML_DATETIME] = "as a datetime",
    };

    if (v->type == TOML_TABLE) {
        if (v->flags & TF_INLINE)
            return "as an inline table";
        return (v->flags & TF_DOTTED) ? "by dotted keys" : "by a [table] header";
    }
    if (v->type == TOML_ARRAY)
        return (v->flags & TF_AOT) ? "as an array of tables" : "as an array";
    return scalar[v->type];
}

/* The key at `at` cannot be used as the document wants; say how it was defined. */
static bool conflict(struct parser *ps, struct toml_pos at, const char *what, const char *path,
                     const struct toml_value *v)
{
    return fail(ps, at, "%s '%s': already defined %s at line %d", what, path, how_defined(v),
                v->pos.line);
}

/* ---- [table] and [[array of tables]] headers ---- */

/* Walk into part i of a header's key, creating an implicit table if absent. */
static struct toml_value *header_step(struct parser *ps, struct toml_value *t,
                                      const struct key *k, int i, int *depth)
{
    struct toml_kv *kv = table_find(t, k->part[i]);
    struct toml_value *v = kv ? kv->val : NULL;

    *depth += 1;
    if (v && v->type == TOML_ARRAY && (v->flags & TF_AOT) && v->u.arr.len > 0) {
        *depth += 1;  /* [[a]] then [a.b]: b goes into the newest element of a */
        v = v->u.arr.items[v->u.arr.len - 1];
    } else if (v && (v->type != TOML_TABLE || (v->flags & TF_INLINE))) {
        conflict(ps, k->pos[i], "cannot extend", key_path(ps, k, i), v);
        return NULL;
    }
    if (*depth > TOML_MAX_DEPTH)
        return fail_null(ps, k->pos[i], "tables nested too deeply");
    return v ? v : put_new(ps, t, k->part[i], k->pos[i], TOML_TABLE, k->pos[i], 0);
}

/* [a.b]: define the last part, which may exist only as an implicit table. */
static bool define_table(struct parser *ps, struct toml_value *t, const struct key *k,
                         struct toml_pos hdr, int depth)
{
    int i = k->n - 1;
    struct toml_kv *kv = table_find(t, k->part[i]);
    struct toml_value *v;

    if (kv) {
        v = kv->val;
        if (v->type != TOML_TABLE || (v->flags & (TF_DEFINED | TF_DOTTED | TF_INLINE)))
            return conflict(ps, k->pos[i], "cannot redefine", key_path(ps, k, i), v);
        v->flags |= TF_DEFINED;
        v->pos = hdr;
    } else {
        v = put_new(ps, t, k->part[i], k->pos[i], TOML_TABLE, hdr, TF_DEFINED);
        if (!v)
            return false;
    }
    ps->cur = v;
    ps->cur_depth = depth + 1;
    return true;
}

/* [[a.b]]: append a new table to the array of tables named by the last part. */
static bool append_table(struct parser *ps, struct toml_value *t, const struct key *k,
                         struct toml_pos hdr, int depth)
{
    int i = k->n - 1;
    struct toml_kv *kv = table_find(t, k->part[i]);
    struct toml_value *arr, *elem;

    if (kv) {
        arr = kv->val;
        if (arr->type != TOML_ARRAY || !(arr->flags & TF_AOT))
            return conflict(ps, k->pos[i], "cannot append to", key_path(ps, k, i), arr);
    } else {
        arr = put_new(ps, t, k->part[i], k->pos[i], TOML_ARRAY, hdr, TF_AOT);
        if (!arr)
            return false;
    }
    elem = new_value(ps, TOML_TABLE, hdr);
    if (!elem)
        return false;
    elem->flags = TF_DEFINED;
    if (!array_add(arr, elem)) {
        toml_free(elem);
        return out_of_memory(ps);
    }
    ps->cur = elem;
    ps->cur_depth = depth + 2;
    return true;
}

static bool open_table(struct parser *ps, const struct key *k, struct toml_pos hdr, bool aot)
{
    struct toml_value *t = ps->root;
    int depth = 0;

    for (int i = 0; i < k->n - 1; i++) {
        t = header_step(ps, t, k, i, &depth);
        if (!t)
            return false;
    }
    if (depth + (aot ? 2 : 1) > TOML_MAX_DEPTH)
        return fail(ps, k->pos[k->n - 1], "tables nested too deeply");
    return aot ? append_table(ps, t, k, hdr, depth) : define_table(ps, t, k, hdr, depth);
}

static bool close_header(struct parser *ps, bool aot)
{
    if (peek(ps) == ']' && (!aot || peek_at(ps, 1) == ']')) {
        ps->p += aot ? 2 : 1;
        return true;
    }
    if (aot)
        return fail(ps, here(ps), "expected ']]' to close the array of tables header");
    return fail(ps, here(ps), "expected ']' to close the table header");
}

static bool parse_header(struct parser *ps)
{
    struct toml_pos hdr = here(ps);
    bool aot = peek_at(ps, 1) == '[';
    struct key k;
    bool ok;

    k.n = 0;
    ps->p += aot ? 2 : 1;
    skip_ws(ps);
    ok = parse_key(ps, &k) && close_header(ps, aot) && open_table(ps, &k, hdr, aot);
    key_free(&k);
    return ok && expect_eol(ps, "table header");
}

/* ---- key = value ---- */

/* Walk into part i of a dotted key, creating the table if absent. Dotted keys may
 * only extend tables that dotted keys created (toml-lang/toml#846). */
static struct toml_value *dotted_step(struct parser *ps, struct toml_value *t,
                                      const struct key *k, int i)
{
    struct toml_kv *kv = table_find(t, k->part[i]);
    struct toml_value *v;

    if (!kv)
        return put_new(ps, t, k->part[i], k->pos[i], TOML_TABLE, k->pos[i], TF_DOTTED);
    v = kv->val;
    if (v->type == TOML_TABLE && (v->flags & TF_DOTTED) && !(v->flags & TF_INLINE))
        return v;
    conflict(ps, k->pos[i], "cannot add keys to", key_path(ps, k, i), v);
    return NULL;
}

/* Give key k, whose '=' was just read, the value at the cursor inside table t. */
static bool assign(struct parser *ps, struct toml_value *t, const struct key *k, int depth)
{
    int last = k->n - 1;
    struct toml_kv *kv;
    struct toml_value *val;

    for (int i = 0; i < last; i++) {
        t = dotted_step(ps, t, k, i);
        if (!t)
            return false;
    }
    kv = table_find(t, k->part[last]);
    if (kv)
        return fail(ps, k->pos[last], "duplicate key '%s' (first defined at line %d)",
                    key_path(ps, k, last), kv->pos.line);
    val = parse_value(ps, depth + last + 1);
    return val && put(ps, t, k->part[last], k->pos[last], val);
}

static bool parse_keyval(struct parser *ps, struct toml_value *t, int depth)
{
    struct key k;
    bool ok;

    k.n = 0;
    ok = parse_key(ps, &k);
    if (ok && peek(ps) != '=')
        ok = fail(ps, here(ps), "expected '=' after key");
    if (ok) {
        ps->p++;
        skip_ws(ps);
        ok = assign(ps, t, &k, depth);
    }
    key_free(&k);
    return ok;
}

/* ---- integers and floats (TOML 1.0 "Integer", "Float") ---- */

static int digit_value(int c, int base)
{
    int v = hex_value(c);

    return v >= 0 && v < base ? v : -1;
}

/* Digits where '_' may only stand between two digits; returns the end of the run,
 * or NULL after failing. */
static const char *scan_digits(struct parser *ps, const char *s, const char *e, int base)
{
    const char *q = s;
    char tmp[16];

    if (q >= e || digit_value((unsigned char)*q, base) < 0)
        return fail_null(ps, pos_at(ps, q), "expected a digit, found %s",
                         describe(q < e ? (unsigned char)*q : -1, tmp, sizeof tmp));
    for (; q < e; q++) {
        if (*q == '_') {
            if (q + 1 >= e || digit_value((unsigned char)q[1], base) < 0)
                return fail_null(ps, pos_at(ps, q), "'_' must stand between two digits");
        } else if (digit_value((unsigned char)*q, base) < 0) {
            break;
        }
    }
    return q;
}

static void *bad_number_char(struct parser *ps, const char *q)
{
    char tmp[16];

    return fail_null(ps, pos_at(ps, q), "invalid character %s in number",
                describe((unsigned char)*q, tmp, sizeof tmp));
}

/* "0", "+0" and "-0" are fine, "01" and "0_1" are not. */
static bool no_leading_zero(struct parser *ps, const char *d, const char *e)
{
    if (d + 1 < e && d[0] == '0' && (is_digit(d[1]) || d[1] == '_'))
        return fail(ps, pos_at(ps, d), "leading zeros are not allowed");
    return true;
}

/* The value of checked digits [d, e) in base, if it is at most limit. */
static bool accumulate(struct parser *ps, const char *s, const char *d, const char *e,
                       int base, uint64_t limit, uint64_t *out)
{
    uint64_t mag = 0;

    for (; d < e; d++) {
        uint64_t dig;

        if (*d == '_')
            continue;
        dig = (uint64_t)digit_value((unsigned char)*d, base);
        if (mag > (limit - dig) / (uint64_t)base)
            return fail(ps, pos_at(ps, s), "integer out of range");
        mag = mag * (uint64_t)base + dig;
    }
    *out = mag;
    return true;
}

static struct toml_value *int_value(struct parser *ps, const char *s, int64_t n)
{
    struct toml_value *v = new_value(ps, TOML_INTEGER, pos_at(ps, s));

    if (v)
        v->u.integer = n;
    return v;
}

/* [+-]123_456 in [s, e); d is past the sign. */
static struct toml_value *decimal_int(struct parser *ps, const char *s, const char *d,
                                      const char *e)
{
    bool neg = *s == '-';
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    const char *q;
    uint64_t mag;

    if (!no_leading_zero(ps, d, e) || !(q = scan_digits(ps, d, e, 10)))
        return NULL;
    if (q != e)
        return bad_number_char(ps, q);
    if (!accumulate(ps, s, d, e, 10, limit, &mag))
        return NULL;
    if (!neg)
        return int_value(ps, s, (int64_t)mag);
    return int_value(ps, s, mag > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)mag);
}

/* 0x.., 0o.., 0b..: unsigned, leading zeros allowed. */
static struct toml_value *based_int(struct parser *ps, const char *s, const char *e)
{
    int base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
    const char *name = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
    const char *q = scan_digits(ps, s + 2, e, base);
    char tmp[16];
    uint64_t mag;

    if (!q)
        return NULL;
    if (q != e)
        return fail_null(ps, pos_at(ps, q), "invalid character %s in %s integer",
                         describe((unsigned char)*q, tmp, sizeof tmp), name);
    if (!accumulate(ps, s, s + 2, e, base, (uint64_t)INT64_MAX, &mag))
        return NULL;
    return int_value(ps, s, (int64_t)mag);
}

static struct toml_value *float_value(struct parser *ps, const char *s, double d)
{
    struct toml_value *v = new_value(ps, TOML_FLOAT, pos_at(ps, s));

    if (v)
        v->u.flt = d;
    return v;
}

/* Convert checked float text [s, e) with its underscores dropped. */
static struct toml_value *convert_float(struct parser *ps, const char *s, const char *e)
{
    char *text = malloc((size_t)(e - s) + 1), *t = text;
    double d;

    if (!text)
        return fail_null(ps, pos_at(ps, s), "out of memory");
    for (const char *q = s; q < e; q++) {
        if (*q != '_')
            *t++ = *q;
    }
    *t = '\0';
    d = strtod(text, NULL);  /* the grammar was checked, so all of it converts */
    free(text);
    if (isinf(d))
        return fail_null(ps, pos_at(ps, s), "float out of range");
    return float_value(ps, s, d);
}

/* [+-] int-part ( '.' digits [exp] | exp ), exp = [eE] [+-] digits. */
static struct toml_value *decimal_float(struct parser *ps, const char *s, const char *d,
                                        const char *e)
{
    const char *q;

    if (!no_leading_zero(ps, d, e) || !(q = scan_digits(ps, d, e, 10)))
        return NULL;
    if (q < e && *q == '.' && !(q = scan_digits(ps, q + 1, e, 10)))
        return NULL;
    if (q < e && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < e && (*q == '+' || *q == '-'))
            q++;
        if (!(q = scan_digits(ps, q, e, 10)))
            return NULL;
    }
    if (q != e)
        return bad_number_char(ps, q);
    return convert_float(ps, s, e);
}

/* A number token [s, e): sorts out which kind it is. */
static struct toml_value *parse_number(struct parser *ps, const char *s, const char *e)
{
    const char *d = s + (*s == '+' || *s == '-');

    if (e - d == 3 && (memcmp(d, "inf", 3) == 0 || memcmp(d, "nan", 3) == 0)) {
        double x = *d == 'i' ? INFINITY : NAN;

        return float_value(ps, s, *s == '-' ? -x : x);
    }
    if (e - d >= 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'o' || d[1] == 'b')) {
        if (d != s)
            return fail_null(ps, pos_at(ps, s), "a %s integer cannot have a sign",
                             d[1] == 'x' ? "hexadecimal" : d[1] == 'o' ? "octal" : "binary");
        return based_int(ps, s, e);
    }
    for (const char *q = d; q < e; q++) {
        if (*q == '.' || *q == 'e' || *q == 'E')
            return decimal_float(ps, s, d, e);
    }
    return decimal_int(ps, s, d, e);
}

/* ---- dates and times (TOML 1.0 "Offset Date-Time" .. "Local Time", RFC 3339) ---- */

static bool digits_at(const struct parser *ps, const char *q, int n)
{
    if (ps->end - q < n)
        return false;
    for (int i = 0; i < n; i++) {
        if (!is_digit((unsigned char)q[i]))
            return false;
    }
    return true;
}

/* An n-digit field at *q that must lie in [lo, hi]. */
static bool dt_field(struct parser *ps, const char **q, int n, int lo, int hi,
                     const char *what, int *out)
{
    int v = 0;

    if (!digits_at(ps, *q, n))
        return fail(ps, pos_at(ps, *q), "expected %d digits for the %s", n, what);
    for (int i = 0; i < n; i++)
        v = v * 10 + ((*q)[i] - '0');
    if (v < lo || v > hi)
        return fail(ps, pos_at(ps, *q), "%s %0*d out of range (%d-%d)", what, n, v, lo, hi);
    *q += n;
    if (out)
        *out = v;
    return true;
}

static bool dt_sep(struct parser *ps, const char **q, char sep)
{
    if (*q < ps->end && **q == sep) {
        (*q)++;
        return true;
    }
    return fail(ps, pos_at(ps, *q), "expected '%c' in date or time", sep);
}

static int days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* YYYY-MM-DD */
static bool dt_date(struct parser *ps, const char **q)
{
    int y, m, d;
    const char *day;

    if (!dt_field(ps, q, 4, 0, 9999, "year", &y) || !dt_sep(ps, q, '-') ||
        !dt_field(ps, q, 2, 1, 12, "month", &m) || !dt_sep(ps, q, '-'))
        return false;
    day = *q;
    if (!dt_field(ps, q, 2, 1, 31, "day", &d))
        return false;
    if (d > days_in_month(y, m))
        return fail(ps, pos_at(ps, day), "day %02d out of range for %04d-%02d", d, y, m);
    return true;
}

/* HH:MM:SS[.fraction]; 60 seconds allows a leap second. */
static bool dt_time(struct parser *ps, const char **q)
{
    if (!dt_field(ps, q, 2, 0, 23, "hour", NULL) || !dt_sep(ps, q, ':') ||
        !dt_field(ps, q, 2, 0, 59, "minute", NULL) || !dt_sep(ps, q, ':') ||
        !dt_field(ps, q, 2, 0, 60, "second", NULL))
        return false;
    if (*q < ps->end && **q == '.') {
        (*q)++;
        if (!digits_at(ps, *q, 1))
            return fail(ps, pos_at(ps, *q), "expected digits after '.' in time");
        while (digits_at(ps, *q, 1))
            (*q)++;
    }
    return true;
}

/* Z, z or +HH:MM / -HH:MM; nothing makes a local date-time. */
static bool dt_offset(struct parser *ps, const char **q)
{
    int c = *q < ps->end ? (unsigned char)**q : -1;

    if (c == 'Z' || c == 'z') {
        (*q)++;
        return true;
    }
    if (c != '+' && c != '-')
        return true;
    (*q)++;
    return dt_field(ps, q, 2, 0, 23, "offset hour", NULL) && dt_sep(ps, q, ':') &&
           dt_field(ps, q, 2, 0, 59, "offset minute", NULL);
}

static bool looks_like_date(const struct parser *ps)
{
    return digits_at(ps, ps->p, 4) && peek_at(ps, 4) == '-';
}

static bool looks_like_time(const struct parser *ps)
{
    return digits_at(ps, ps->p, 2) && peek_at(ps, 2) == ':';
}

/* After a date: 'T', 't' or a space followed by a digit start the time. */
static bool time_follows(const struct parser *ps, const char *q)
{
    if (q >= ps->end)
        return false;
    if (*q == 'T' || *q == 't')
        return true;
    return *q == ' ' && digits_at(ps, q + 1, 1);
}

static struct toml_value *parse_datetime(struct parser *ps)
{
    const char *s = ps->p, *q = s;
    bool has_date = looks_like_date(ps);
    struct toml_value *v;

    if (has_date && !dt_date(ps, &q))
        return NULL;
    if (has_date && time_follows(ps, q)) {
        q++;
        if (!dt_time(ps, &q) || !dt_offset(ps, &q))
            return NULL;
    } else if (!has_date && !dt_time(ps, &q)) {
        return NULL;
    }
    v = new_value(ps, TOML_DATETIME, pos_at(ps, s));
    if (!v)
        return NULL;
    v->u.str = strndup(s, (size_t)(q - s));
    if (!v->u.str) {
        toml_free(v);
        return fail_null(ps, pos_at(ps, s), "out of memory");
    }
    ps->p = q;
    return v;
}

/* ---- other values ---- */

static bool is_number_char(int c)
{
    return is_bare(c) || c == '+' || c == '.';
}

static struct toml_value *number_or_datetime(struct parser *ps)
{
    const char *e = ps->p;
    struct toml_value *v;

    if (looks_like_date(ps) || looks_like_time(ps))
        return parse_datetime(ps);
    while (e < ps->end && is_number_char((unsigned char)*e))
        e++;
    v = parse_number(ps, ps->p, e);
    if (v)
        ps->p = e;
    return v;
}

static bool word_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* true, false, inf, nan; any other bare word is an error. */
static struct toml_value *word_value(struct parser *ps)
{
    const char *s = ps->p;
    struct toml_value *v;
    size_t n;

    while (is_bare(peek(ps)))
        ps->p++;
    n = (size_t)(ps->p - s);
    if (word_is(s, n, "inf") || word_is(s, n, "nan"))
        return float_value(ps, s, *s == 'i' ? INFINITY : NAN);
    if (!word_is(s, n, "true") && !word_is(s, n, "false"))
        return fail_null(ps, pos_at(ps, s), "invalid value '%.*s' (strings must be quoted)",
                         n > 40 ? 40 : (int)n, s);
    v = new_value(ps, TOML_BOOLEAN, pos_at(ps, s));
    if (v)
        v->u.boolean = *s == 't';
    return v;
}

static struct toml_value *string_value(struct parser *ps)
{
    struct toml_pos pos = here(ps);
    char *s = parse_string(ps, false);
    struct toml_value *v;

    if (!s)
        return NULL;
    v = new_value(ps, TOML_STRING, pos);
    if (!v) {
        free(s);
        return NULL;
    }
    v->u.str = s;
    return v;
}

/* Items of an array whose '[' was just read. */
static bool array_items(struct parser *ps, struct toml_value *arr, int depth)
{
    char tmp[16];

    for (;;) {
        struct toml_value *item;

        if (!skip_blank(ps))
            return false;
        if (peek(ps) == ']')
            break;
        if (peek(ps) < 0)
            return fail(ps, arr->pos, "unterminated array");
        item = parse_value(ps, depth + 1);
        if (!item)
            return false;
        if (!array_add(arr, item)) {
            toml_free(item);
            return out_of_memory(ps);
        }
        if (!skip_blank(ps))
            return false;
        if (peek(ps) == ']')
            break;
        if (peek(ps) < 0)
            return fail(ps, arr->pos, "unterminated array");
        if (peek(ps) != ',')
            return fail(ps, here(ps), "expected ',' or ']' after array item, found %s",
                        describe(peek(ps), tmp, sizeof tmp));
        ps->p++;
    }
    ps->p++;
    return true;
}

static struct toml_value *parse_array(struct parser *ps, int depth)
{
    struct toml_value *arr = new_value(ps, TOML_ARRAY, here(ps));

    if (!arr)
        return NULL;
    arr->flags = TF_INLINE;
    ps->p++;
    if (!array_items(ps, arr, depth)) {
        toml_free(arr);
        return NULL;
    }
    return arr;
}

/* Inline tables live on one line (TOML 1.0): say so when one does not. */
static bool inline_stop(struct parser *ps, const struct toml_value *t, const char *expected)
{
    char tmp[16];

    if (peek(ps) < 0)
        return fail(ps, t->pos, "unterminated inline table");
    if (peek(ps) == '\n' || peek(ps) == '\r')
        return fail(ps, here(ps), "newline not allowed in an inline table");
    return fail(ps, here(ps), "expected %s in inline table, found %s", expected,
                describe(peek(ps), tmp, sizeof tmp));
}

/* Pairs of an inline table whose '{' was just read. */
static bool inline_items(struct parser *ps, struct toml_value *t, int depth)
{
    skip_ws(ps);
    if (peek(ps) == '}') {
        ps->p++;
        return true;
    }
    for (;;) {
        skip_ws(ps);
        if (peek(ps) == '}')
            return fail(ps, here(ps), "trailing comma not allowed in an inline table");
        if (!is_bare(peek(ps)) && peek(ps) != '"' && peek(ps) != '\'')
            return inline_stop(ps, t, "a key");
        if (!parse_keyval(ps, t, depth))
            return false;
        skip_ws(ps);
        if (peek(ps) == '}') {
            ps->p++;
            return true;
        }
        if (peek(ps) != ',')
            return inline_stop(ps, t, "',' or '}'");
        ps->p++;
    }
}

static struct toml_value *parse_inline_table(struct parser *ps, int depth)
{
    struct toml_value *t = new_value(ps, TOML_TABLE, here(ps));

    if (!t)
        return NULL;
    ps->p++;
    if (!inline_items(ps, t, depth)) {
        toml_free(t);
        return NULL;
    }
    t->flags = TF_INLINE;
    return t;
}

/* Any value at the cursor; depth is the nesting level it would get. */
static struct toml_value *parse_value(struct parser *ps, int depth)
{
    int c = peek(ps);
    char tmp[16];

    if (depth > TOML_MAX_DEPTH)
        return fail_null(ps, here(ps), "values nested too deeply (limit %d)", TOML_MAX_DEPTH);
    if (c == '"' || c == '\'')
        return string_value(ps);
    if (c == '[')
        return parse_array(ps, depth);
    if (c == '{')
        return parse_inline_table(ps, depth);
    if (is_digit(c) || c == '+' || c == '-')
        return number_or_datetime(ps);
    if (is_alpha(c))
        return word_value(ps);
    return fail_null(ps, here(ps), "expected a value, found %s", describe(c, tmp, sizeof tmp));
}

/* ---- documents ---- */

static bool parse_document(struct parser *ps)
{
    while (ps->p < ps->end) {
        int c;

        skip_ws(ps);
        c = peek(ps);
        if (c == '[') {
            if (!parse_header(ps))
                return false;
        } else if (c < 0 || c == '#' || c == '\n' || c == '\r') {
            if (!expect_eol(ps, "comment"))
                return false;
        } else if (!parse_keyval(ps, ps->cur, ps->cur_depth) || !expect_eol(ps, "value")) {
            return false;
        }
    }
    return true;
}

static void parser_init(struct parser *ps, const char *text, size_t len, struct toml_error *err)
{
    memset(ps, 0, sizeof *ps);
    memset(err, 0, sizeof *err);
    ps->p = text;
    ps->end = text + len;
    if (len >= 3 && memcmp(text, UTF8_BOM, 3) == 0)
        ps->p += 3;  /* editors may write one; it is not part of the first line */
    ps->line_start = ps->p;
    ps->line = 1;
    ps->err = err;
}

struct toml_value *toml_parse(const char *text, size_t len, struct toml_error *err)
{
    struct toml_error spare;
    struct parser ps;
    struct toml_pos start = { 1, 1 };

    parser_init(&ps, text ? text : "", text ? len : 0, err ? err : &spare);
    if (!check_utf8(&ps))
        return NULL;
    ps.root = new_value(&ps, TOML_TABLE, start);
    if (!ps.root)
        return NULL;
    ps.root->flags = TF_DEFINED;
    ps.cur = ps.root;
    if (!parse_document(&ps)) {
        toml_free(ps.root);
        return NULL;
    }
    return ps.root;
}

struct toml_value *toml_parse_value(const char *text, struct toml_error *err)
{
    struct toml_error spare;
    struct parser ps;
    struct toml_value *v;
    char tmp[16];

    if (!text)
        text = "";
    parser_init(&ps, text, strlen(text), err ? err : &spare);
    if (!check_utf8(&ps))
        return NULL;
    skip_ws(&ps);
    v = parse_value(&ps, 1);
    if (v && skip_blank(&ps) && ps.p == ps.end)
        return v;
    if (v)
        fail(&ps, here(&ps), "unexpected %s after value", describe(peek(&ps), tmp, sizeof tmp));
    toml_free(v);
    return NULL;
}

static void io_error(struct toml_error *err, int e)
{
    err->line = 0;
    err->col = 0;
    snprintf(err->msg, sizeof err->msg, "%s", strerror(e));
}

/* The whole file in a malloc'd buffer; NULL with errno set on failure. */
static char *read_all(FILE *f, size_t *len)
{
    struct buf b = { NULL, 0, 0 };
    char chunk[4096];
    size_t n;

    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (!buf_append(&b, chunk, n)) {
            free(b.data);
            errno = ENOMEM;
            return NULL;
        }
    }
    if (ferror(f) || (!b.data && !buf_append(&b, "", 0))) {
        free(b.data);
        if (errno == 0)
            errno = EIO;
        return NULL;
    }
    *len = b.len;
    return b.data;
}

struct toml_value *toml_parse_file(const char *path, struct toml_error *err)
{
    struct toml_error spare;
    struct toml_value *v;
    size_t len = 0;
    char *text;
    FILE *f;

    if (!err)
        err = &spare;
    errno = 0;
    f = fopen(path, "rb");
    if (!f) {
        io_error(err, errno);
        return NULL;
    }
    text = read_all(f, &len);
    if (!text) {
        io_error(err, errno);
        fclose(f);
        return NULL;
    }
    fclose(f);
    v = toml_parse(text, len, err);
    free(text);
    return v;
}

/* ---- the tree API ---- */

void toml_free(struct toml_value *v)
{
    if (!v)
        return;
    switch (v->type) {
    case TOML_STRING:
    case TOML_DATETIME:
        free(v->u.str);
        break;
    case TOML_ARRAY:
        for (size_t i = 0; i < v->u.arr.len; i++)
            toml_free(v->u.arr.items[i]);
        free(v->u.arr.items);
        break;
    case TOML_TABLE:
        for (size_t i = 0; i < v->u.tab.len; i++) {
            free(v->u.tab.items[i].key);
            toml_free(v->u.tab.items[i].val);
        }
        free(v->u.tab.items);
        break;
    default:
        break;
    }
    free(v);
}

/* Copy v's contents into c, a fresh value of the same type. */
static bool clone_into(struct toml_value *c, const struct toml_value *v)
{
    switch (v->type) {
    case TOML_STRING:
    case TOML_DATETIME:
        c->u.str = strdup(v->u.str ? v->u.str : "");
        return c->u.str != NULL;
    case TOML_ARRAY:
        for (size_t i = 0; i < v->u.arr.len; i++) {
            if (toml_push(c, toml_clone(v->u.arr.items[i])) != 0)
                return false;
        }
        return true;
    case TOML_TABLE:
        for (size_t i = 0; i < v->u.tab.len; i++) {
            const struct toml_kv *kv = &v->u.tab.items[i];
            char *key = strdup(kv->key);
            struct toml_value *val = toml_clone(kv->val);

            if (!key || !val || !table_add(c, key, kv->pos, val)) {
                free(key);
                toml_free(val);
                return false;
            }
        }
        return true;
    default:
        c->u = v->u;
        return true;
    }
}

struct toml_value *toml_clone(const struct toml_value *v)
{
    struct toml_value *c;

    if (!v)
        return NULL;
    c = alloc_value(v->type, v->pos);
    if (!c)
        return NULL;
    c->flags = v->flags;
    if (!clone_into(c, v)) {
        toml_free(c);
        return NULL;
    }
    return c;
}

/* Strings and datetimes start out empty, never NULL. */
struct toml_value *toml_new(enum toml_type type, struct toml_pos pos)
{
    struct toml_value *v = alloc_value(type, pos);

    if (v && (type == TOML_STRING || type == TOML_DATETIME)) {
        v->u.str = strdup("");
        if (!v->u.str) {
            free(v);
            return NULL;
        }
    }
    return v;
}

struct toml_value *toml_new_string(const char *s, struct toml_pos pos)
{
    struct toml_value *v = alloc_value(TOML_STRING, pos);

    if (v) {
        v->u.str = strdup(s ? s : "");
        if (!v->u.str) {
            free(v);
            return NULL;
        }
    }
    return v;
}

struct toml_kv *toml_get_kv(const struct toml_value *t, const char *key)
{
    if (!t || t->type != TOML_TABLE || !key)
        return NULL;
    return table_find(t, key);
}

struct toml_value *toml_get(const struct toml_value *t, const char *key)
{
    struct toml_kv *kv = toml_get_kv(t, key);

    return kv ? kv->val : NULL;
}

/* Returns 0, -EINVAL (t not a table, or a NULL argument) or -ENOMEM. val is
 * always taken: on failure it is freed, so the caller never leaks it. */
int toml_set(struct toml_value *t, const char *key, struct toml_pos key_pos,
             struct toml_value *val)
{
    struct toml_kv *kv = toml_get_kv(t, key);
    char *copy;

    if (!val || !t || t->type != TOML_TABLE || !key) {
        toml_free(val);
        return -EINVAL;
    }
    if (kv) {
        toml_free(kv->val);
        kv->val = val;
        kv->pos = key_pos;  /* the key now stands where this value was given */
        return 0;
    }
    copy = strdup(key);
    if (!copy || !table_add(t, copy, key_pos, val)) {
        free(copy);
        toml_free(val);
        return -ENOMEM;
    }
    return 0;
}

/* Returns 0, -EINVAL or -ENOMEM; val is always taken, as with toml_set. */
int toml_push(struct toml_value *arr, struct toml_value *val)
{
    if (!val || !arr || arr->type != TOML_ARRAY) {
        toml_free(val);
        return -EINVAL;
    }
    if (!array_add(arr, val)) {
        toml_free(val);
        return -ENOMEM;
    }
    return 0;
}

const char *toml_type_name(enum toml_type type)
{
    switch (type) {
    case TOML_TABLE:    return "table";
    case TOML_ARRAY:    return "array";
    case TOML_STRING:   return "string";
    case TOML_INTEGER:  return "integer";
    case TOML_FLOAT:    return "float";
    case TOML_BOOLEAN:  return "boolean";
    case TOML_DATETIME: return "datetime";
    }
    return "unknown";
}
