/* image/toml.h: a TOML 1.0 parser whose values remember where they were written,
 * so every later error (syntax or manifest) can name FILE:LINE:COLUMN. */
#ifndef ANVIL_IMAGE_TOML_H
#define ANVIL_IMAGE_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum toml_type {
    TOML_TABLE,
    TOML_ARRAY,
    TOML_STRING,
    TOML_INTEGER,
    TOML_FLOAT,
    TOML_BOOLEAN,
    TOML_DATETIME,  /* kept as the text written (offset/local date-time, date, time) */
};

/* line and col count from 1; line 0 means "not from a file" (a --set override). */
struct toml_pos {
    int line;
    int col;
};

struct toml_kv;

struct toml_value {
    enum toml_type type;
    struct toml_pos pos;        /* where the value starts */
    union {
        char *str;              /* TOML_STRING (NUL-free UTF-8), TOML_DATETIME */
        int64_t integer;
        double flt;
        bool boolean;
        struct {
            struct toml_value **items;
            size_t len;
        } arr;
        struct {
            struct toml_kv *items;  /* in the order first written */
            size_t len;
        } tab;
    } u;
    unsigned flags;             /* parser bookkeeping (defined, inline, dotted, array of tables) */
};

struct toml_kv {
    char *key;
    struct toml_pos pos;        /* where the key was written */
    struct toml_value *val;
};

struct toml_error {
    int line;
    int col;
    char msg[256];
};

/* Parse a whole document; the root is a TOML_TABLE. On error returns NULL and fills err. */
struct toml_value *toml_parse(const char *text, size_t len, struct toml_error *err);
/* Read and parse a file; an I/O error has line 0 and the strerror text. */
struct toml_value *toml_parse_file(const char *path, struct toml_error *err);
/* Parse one value as written on the right of '=' (for --set KEY=VALUE). */
struct toml_value *toml_parse_value(const char *text, struct toml_error *err);

void toml_free(struct toml_value *v);
struct toml_value *toml_clone(const struct toml_value *v);

struct toml_value *toml_new(enum toml_type type, struct toml_pos pos);
struct toml_value *toml_new_string(const char *s, struct toml_pos pos);

/* Look a key up in a table (NULL when absent or t is not a table). */
struct toml_value *toml_get(const struct toml_value *t, const char *key);
/* The kv entry itself, for the key's position. */
struct toml_kv *toml_get_kv(const struct toml_value *t, const char *key);
/* Put val under key, replacing (and freeing) an old value; takes ownership of val. */
int toml_set(struct toml_value *t, const char *key, struct toml_pos key_pos, struct toml_value *val);
/* Append to an array; takes ownership of val. */
int toml_push(struct toml_value *arr, struct toml_value *val);

const char *toml_type_name(enum toml_type type);

#endif
