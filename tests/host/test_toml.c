/* tests/host/test_toml.c: unit tests for image/toml.c, the TOML 1.0 parser that reads
 * mkimage's config.toml. Prints TAP for prove; columns in errors count bytes from 1. */
#include "tap.h"
#include "toml.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ---- */

static struct toml_value *parse_len(const char *text, size_t len)
{
    struct toml_error err;
    struct toml_value *v = toml_parse(text, len, &err);

    if (!v)
        printf("# unexpected error %d:%d: %s\n", err.line, err.col, err.msg);
    return v;
}

static struct toml_value *parse(const char *text)
{
    return parse_len(text, strlen(text));
}

/* Follow "a.b.0.c": names go into tables, numbers index arrays (test keys only). */
static const struct toml_value *at(const struct toml_value *v, const char *path)
{
    char buf[256], *save = NULL;

    snprintf(buf, sizeof buf, "%s", path);
    for (char *part = strtok_r(buf, ".", &save); v && part; part = strtok_r(NULL, ".", &save)) {
        if (v->type == TOML_ARRAY) {
            size_t i = strtoul(part, NULL, 10);

            v = i < v->u.arr.len ? v->u.arr.items[i] : NULL;
        } else {
            v = toml_get(v, part);
        }
    }
    return v;
}

static void is_int(const struct toml_value *root, const char *path, int64_t want)
{
    const struct toml_value *v = at(root, path);

    if (!tap_ok(v && v->type == TOML_INTEGER && v->u.integer == want, "%s = %lld", path,
                (long long)want) && v)
        printf("#   got type %s, %lld\n", toml_type_name(v->type),
               v->type == TOML_INTEGER ? (long long)v->u.integer : 0LL);
}

static void is_float(const struct toml_value *root, const char *path, double want)
{
    const struct toml_value *v = at(root, path);
    bool same = v && v->type == TOML_FLOAT &&
                (isnan(want) ? isnan(v->u.flt) : v->u.flt == want) &&
                !!signbit(v->u.flt) == !!signbit(want);

    if (!tap_ok(same, "%s = %g", path, want) && v && v->type == TOML_FLOAT)
        printf("#   got %.17g\n", v->u.flt);
}

static void is_bool(const struct toml_value *root, const char *path, bool want)
{
    const struct toml_value *v = at(root, path);

    tap_ok(v && v->type == TOML_BOOLEAN && v->u.boolean == want, "%s = %s", path,
           want ? "true" : "false");
}

static void is_text(const struct toml_value *root, const char *path, enum toml_type type,
                    const char *want)
{
    const struct toml_value *v = at(root, path);
    char name[300];

    snprintf(name, sizeof name, "%s is the %s '%s'", path, toml_type_name(type), want);
    if (!v || v->type != type) {
        tap_ok(0, "%s", name);
        printf("#   got %s\n", v ? toml_type_name(v->type) : "nothing");
        return;
    }
    tap_is_str(v->u.str, want, name);
}

static void is_str(const struct toml_value *root, const char *path, const char *want)
{
    is_text(root, path, TOML_STRING, want);
}

static void is_dt(const struct toml_value *root, const char *path, const char *want)
{
    is_text(root, path, TOML_DATETIME, want);
}

/* A table's or array's length. */
static void is_len(const struct toml_value *root, const char *path, enum toml_type type,
                   size_t want)
{
    const struct toml_value *v = *path ? at(root, path) : root;
    size_t len = !v ? 0 : type == TOML_TABLE ? v->u.tab.len : v->u.arr.len;

    tap_ok(v && v->type == type && len == want, "%s is a %s of %zu", *path ? path : "root",
           toml_type_name(type), want);
}

static void is_pos(struct toml_pos pos, int line, int col, const char *what)
{
    if (!tap_ok(pos.line == line && pos.col == col, "%s at %d:%d", what, line, col))
        printf("#   got %d:%d\n", pos.line, pos.col);
}

static void value_at(const struct toml_value *root, const char *path, int line, int col)
{
    const struct toml_value *v = at(root, path);
    char what[300];

    snprintf(what, sizeof what, "value of %s", path);
    if (!v) {
        tap_ok(0, "%s exists", what);
        return;
    }
    is_pos(v->pos, line, col, what);
}

/* Rejected, at exactly line:col when line > 0, with msg in the message when given. */
static void bad_len(const char *text, size_t len, int line, int col, const char *msg,
                    const char *name)
{
    struct toml_error err;
    struct toml_value *v = toml_parse(text, len, &err);
    bool ok = !v && (line == 0 || (err.line == line && err.col == col)) &&
              (!msg || strstr(err.msg, msg));

    if (line)
        tap_ok(ok, "rejects %s at %d:%d", name, line, col);
    else
        tap_ok(ok, "rejects %s", name);
    if (!ok)
        printf("#   got %s %d:%d: %s\n", v ? "success" : "error", err.line, err.col, err.msg);
    toml_free(v);
}

static void bad_at(const char *text, int line, int col, const char *msg, const char *name)
{
    bad_len(text, strlen(text), line, col, msg, name);
}

static void bad(const char *text, const char *name)
{
    bad_len(text, strlen(text), 0, 0, NULL, name);
}

/* ---- valid documents ---- */

static void test_integers(void)
{
    struct toml_value *r = parse("a = 42\nb = -17\nc = +99\nd = 0\ne = +0\nf = -0\n"
                                 "g = 1_000_000\nh = 5_349_221\ni = 1_2_3_4_5\n"
                                 "max = 9223372036854775807\nmin = -9223372036854775808\n"
                                 "hex1 = 0xDEADBEEF\nhex2 = 0xdeadbeef\nhex3 = 0xdead_beef\n"
                                 "hexmax = 0x7FFFFFFFFFFFFFFF\nhex0 = 0x00000001\n"
                                 "oct1 = 0o01234567\noct2 = 0o755\nbin1 = 0b11010110\n"
                                 "bin2 = 0b1_0000_0000\n");

    tap_ok(r != NULL, "integers parse");
    is_int(r, "a", 42);
    is_int(r, "b", -17);
    is_int(r, "c", 99);
    is_int(r, "d", 0);
    is_int(r, "e", 0);
    is_int(r, "f", 0);
    is_int(r, "g", 1000000);
    is_int(r, "h", 5349221);
    is_int(r, "i", 12345);
    is_int(r, "max", INT64_MAX);
    is_int(r, "min", INT64_MIN);
    is_int(r, "hex1", 0xDEADBEEF);
    is_int(r, "hex2", 0xDEADBEEF);
    is_int(r, "hex3", 0xDEADBEEF);
    is_int(r, "hexmax", INT64_MAX);
    is_int(r, "hex0", 1);
    is_int(r, "oct1", 01234567);
    is_int(r, "oct2", 0755);
    is_int(r, "bin1", 214);
    is_int(r, "bin2", 256);
    toml_free(r);
}

static void test_floats(void)
{
    struct toml_value *r = parse("f1 = +1.0\nf2 = 3.1415\nf3 = -0.01\nf4 = 5e+22\n"
                                 "f5 = 1e06\nf6 = -2E-2\nf7 = 6.626e-34\n"
                                 "f8 = 224_617.445_991_228\nf9 = 0.0\nf10 = -0.0\n"
                                 "f11 = +0.0\nf12 = 0e0\nf13 = 1e-400\nf14 = 9_9.5e1_0\n"
                                 "i1 = inf\ni2 = +inf\ni3 = -inf\nn1 = nan\nn2 = +nan\n"
                                 "n3 = -nan\n");

    tap_ok(r != NULL, "floats parse");
    is_float(r, "f1", 1.0);
    is_float(r, "f2", 3.1415);
    is_float(r, "f3", -0.01);
    is_float(r, "f4", 5e22);
    is_float(r, "f5", 1e6);
    is_float(r, "f6", -2e-2);
    is_float(r, "f7", 6.626e-34);
    is_float(r, "f8", 224617.445991228);
    is_float(r, "f9", 0.0);
    is_float(r, "f10", -0.0);
    is_float(r, "f11", 0.0);
    is_float(r, "f12", 0.0);
    is_float(r, "f13", 0.0);  /* underflow rounds to zero; only overflow is an error */
    is_float(r, "f14", 99.5e10);
    is_float(r, "i1", INFINITY);
    is_float(r, "i2", INFINITY);
    is_float(r, "i3", -INFINITY);
    is_float(r, "n1", NAN);
    is_float(r, "n2", NAN);
    tap_ok(at(r, "n3") && isnan(at(r, "n3")->u.flt), "n3 = -nan is a NaN");
    toml_free(r);
}

static void test_booleans_and_comments(void)
{
    struct toml_value *r = parse("# a full-line comment\n"
                                 "  \t # indented comment with \"quotes\" and 'more' \xC3\xA9\n"
                                 "t = true # trailing comment\n"
                                 "f = false#no space\n"
                                 "\n\n   \n"
                                 "u = \"# not a comment\"\n");

    tap_ok(r != NULL, "booleans and comments parse");
    is_bool(r, "t", true);
    is_bool(r, "f", false);
    is_str(r, "u", "# not a comment");
    is_len(r, "", TOML_TABLE, 3);
    toml_free(r);
}

static void test_basic_strings(void)
{
    struct toml_value *r = parse("s1 = \"I'm a string. \\\"You can quote me\\\". "
                                 "Name\\tJos\\u00E9\\nLocation\\tSF.\"\n"
                                 "s2 = \"\\b\\t\\n\\f\\r\\\"\\\\\"\n"
                                 "s3 = \"\\u00e9\\u20AC\\U0001F600\"\n"
                                 "s4 = \"\\U0010FFFF\"\n"
                                 "s5 = \"\"\n"
                                 "s6 = \"tab\there\"\n"
                                 "s7 = \"raw \xE6\x97\xA5\xE6\x9C\xAC\"\n"
                                 "s8 = \"\\u007F\\u0001\"\n");

    tap_ok(r != NULL, "basic strings parse");
    is_str(r, "s1", "I'm a string. \"You can quote me\". Name\tJos\xC3\xA9\nLocation\tSF.");
    is_str(r, "s2", "\b\t\n\f\r\"\\");
    is_str(r, "s3", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    is_str(r, "s4", "\xF4\x8F\xBF\xBF");
    is_str(r, "s5", "");
    is_str(r, "s6", "tab\there");
    is_str(r, "s7", "raw \xE6\x97\xA5\xE6\x9C\xAC");
    is_str(r, "s8", "\x7F\x01");  /* escapes may produce control characters */
    toml_free(r);
}

static void test_literal_strings(void)
{
    struct toml_value *r = parse("winpath = 'C:\\Users\\nodejs\\templates'\n"
                                 "winpath2 = '\\\\ServerX\\admin$\\system32\\'\n"
                                 "quoted = 'Tom \"Dubs\" Preston-Werner'\n"
                                 "regex = '<\\i\\c*\\s*>'\n"
                                 "empty = ''\n");

    tap_ok(r != NULL, "literal strings parse");
    is_str(r, "winpath", "C:\\Users\\nodejs\\templates");
    is_str(r, "winpath2", "\\\\ServerX\\admin$\\system32\\");
    is_str(r, "quoted", "Tom \"Dubs\" Preston-Werner");
    is_str(r, "regex", "<\\i\\c*\\s*>");
    is_str(r, "empty", "");
    toml_free(r);
}

static void test_multiline_basic(void)
{
    struct toml_value *r = parse("m1 = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n"
                                 "m2 = \"\"\"\r\nOne\r\nTwo\"\"\"\n"
                                 "m3 = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"\n"
                                 "m4 = \"\"\"\\\n       The quick brown \\\n       fox.\\\n       \"\"\"\n"
                                 "m5 = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"\n"
                                 "m6 = \"\"\"Here are three quotation marks: \"\"\\\".\"\"\"\n"
                                 "m7 = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"\n"
                                 "m8 = \"\"\"a\"\"\"\"\"\n"
                                 "m9 = \"\"\"\"\"\"\n"
                                 "m10 = \"\"\"trailing \\  \t \n  x\"\"\"\n"
                                 "m11 = \"\"\"\n\nkeeps second newline\"\"\"\n"
                                 "m12 = \"\"\"esc \\u00E9 \\t tab\"\"\"\n");

    tap_ok(r != NULL, "multi-line basic strings parse");
    is_str(r, "m1", "Roses are red\nViolets are blue");
    is_str(r, "m2", "One\nTwo");
    is_str(r, "m3", "The quick brown fox jumps over the lazy dog.");
    is_str(r, "m4", "The quick brown fox.");
    is_str(r, "m5", "Here are two quotation marks: \"\". Simple enough.");
    is_str(r, "m6", "Here are three quotation marks: \"\"\".");
    is_str(r, "m7", "\"This,\" she said, \"is just a pointless statement.\"");
    is_str(r, "m8", "a\"\"");
    is_str(r, "m9", "");
    is_str(r, "m10", "trailing x");
    is_str(r, "m11", "\nkeeps second newline");
    is_str(r, "m12", "esc \xC3\xA9 \t tab");
    toml_free(r);
}

static void test_multiline_literal(void)
{
    struct toml_value *r = parse("re = '''I [dw]on't need \\d{2} apples'''\n"
                                 "lines = '''\nThe first newline is\ntrimmed in raw strings.\n"
                                 "   All other whitespace\n   is preserved.\n'''\n"
                                 "quot15 = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''\n"
                                 "apos15 = \"Here are fifteen apostrophes: '''''''''''''''\"\n"
                                 "str = ''''That,' she said, 'She said it is valid.''''\n"
                                 "two = '''x'''''\n"
                                 "crlf = '''\r\na\r\nb'''\n");

    tap_ok(r != NULL, "multi-line literal strings parse");
    is_str(r, "re", "I [dw]on't need \\d{2} apples");
    is_str(r, "lines", "The first newline is\ntrimmed in raw strings.\n"
                       "   All other whitespace\n   is preserved.\n");
    is_str(r, "quot15", "Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"");
    is_str(r, "apos15", "Here are fifteen apostrophes: '''''''''''''''");
    is_str(r, "str", "'That,' she said, 'She said it is valid.'");
    is_str(r, "two", "x''");
    is_str(r, "crlf", "a\nb");
    toml_free(r);
}

static void test_keys(void)
{
    struct toml_value *r = parse("key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\n"
                                 "\"127.0.0.1\" = 5\n\"character encoding\" = 6\n"
                                 "\"\xCA\x8E\xC7\x9D\xCA\x9E\" = 7\n'key2' = 8\n'quoted \"value\"' = 9\n"
                                 "\"\" = 10\n\"a\\u0062c\" = 11\n"
                                 "3.14159 = \"pi\"\n"
                                 "site.\"google.com\" = true\n"
                                 "fruit . flavor = \"banana\"\n"
                                 "fruit.\tcolor\t= \"yellow\"\n"
                                 "true = 12\ninf = 13\n");

    tap_ok(r != NULL, "keys parse");
    is_int(r, "key", 1);
    is_int(r, "bare_key", 2);
    is_int(r, "bare-key", 3);
    is_int(r, "1234", 4);
    tap_ok(toml_get(r, "127.0.0.1") && toml_get(r, "127.0.0.1")->u.integer == 5,
           "quoted key with dots is one key");
    tap_ok(toml_get(r, "character encoding") != NULL, "quoted key with a space");
    tap_ok(toml_get(r, "\xCA\x8E\xC7\x9D\xCA\x9E") != NULL, "quoted key in UTF-8");
    is_int(r, "key2", 8);
    tap_ok(toml_get(r, "quoted \"value\"") != NULL, "literal key with quotes");
    tap_ok(toml_get(r, "") && toml_get(r, "")->u.integer == 10, "empty quoted key");
    is_int(r, "abc", 11);
    is_str(r, "3.14159", "pi");
    tap_ok(toml_get(toml_get(r, "site"), "google.com") != NULL, "dotted key with a quoted part");
    is_str(r, "fruit.flavor", "banana");
    is_str(r, "fruit.color", "yellow");
    is_int(r, "true", 12);
    is_int(r, "inf", 13);
    toml_free(r);
}

static void test_tables(void)
{
    struct toml_value *r = parse("[table-1]\nkey1 = \"some string\"\nkey2 = 123\n\n"
                                 "[table-2]\nkey1 = \"another string\"\n\n"
                                 "[dog.\"tater.man\"]\ntype.name = \"pug\"\n\n"
                                 "[ j . \"\xCA\x9E\" . 'l' ]\nk = 1\n"
                                 "[x.y.z.w]\n[x]\nv = 2\n"
                                 "[empty]\n"
                                 "[\"\"]\ne = 3\n"
                                 "[a.\"\".b]\nc = 4\n");

    tap_ok(r != NULL, "tables parse");
    is_str(r, "table-1.key1", "some string");
    is_int(r, "table-1.key2", 123);
    is_str(r, "table-2.key1", "another string");
    tap_ok(at(toml_get(toml_get(r, "dog"), "tater.man"), "type.name") != NULL,
           "[dog.\"tater.man\"] keeps the quoted dot");
    is_int(r, "j.\xCA\x9E.l.k", 1);
    is_len(r, "x.y.z.w", TOML_TABLE, 0);
    is_int(r, "x.v", 2);
    is_len(r, "empty", TOML_TABLE, 0);
    is_int(toml_get(r, ""), "e", 3);
    is_int(toml_get(toml_get(r, "a"), ""), "b.c", 4);
    toml_free(r);
}

static void test_arrays(void)
{
    struct toml_value *r = parse("integers = [ 1, 2, 3 ]\n"
                                 "colors = [ \"red\", \"yellow\", \"green\" ]\n"
                                 "nested = [ [ 1, 2 ], [3, 4, 5] ]\n"
                                 "mixed = [ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]\n"
                                 "numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\n"
                                 "contributors = [\n  \"Foo Bar <foo@example.com>\",\n"
                                 "  { name = \"Baz Qux\", email = \"bazqux@example.com\" }\n]\n"
                                 "trailing = [\n  1,\n  2, # this is ok\n]\n"
                                 "comments = [ # start\n  # alone\n  1 # one\n  , # comma\n  2\n  # end\n]\n"
                                 "empty = []\nblank = [ \n ]\n"
                                 "crlf = [\r\n1,\r\n2\r\n]\n");

    tap_ok(r != NULL, "arrays parse");
    is_len(r, "integers", TOML_ARRAY, 3);
    is_int(r, "integers.2", 3);
    is_str(r, "colors.1", "yellow");
    is_int(r, "nested.1.2", 5);
    is_str(r, "mixed.1.0", "a");
    is_float(r, "numbers.0", 0.1);
    is_int(r, "numbers.3", 1);
    is_str(r, "contributors.0", "Foo Bar <foo@example.com>");
    is_str(r, "contributors.1.email", "bazqux@example.com");
    is_len(r, "trailing", TOML_ARRAY, 2);
    is_len(r, "comments", TOML_ARRAY, 2);
    is_int(r, "comments.1", 2);
    is_len(r, "empty", TOML_ARRAY, 0);
    is_len(r, "blank", TOML_ARRAY, 0);
    is_len(r, "crlf", TOML_ARRAY, 2);
    toml_free(r);
}

static void test_inline_tables(void)
{
    struct toml_value *r = parse("name = { first = \"Tom\", last = \"Preston-Werner\" }\n"
                                 "point = {x=1,y=2}\n"
                                 "animal = { type.name = \"pug\", type.age = 3 }\n"
                                 "empty = {}\nspaced = {   }\n"
                                 "deep = { a = { b = { c = [ { d = 1 } ] } } }\n"
                                 "dots = { a.b.c = 1, a.b.d = 2 }\n");

    tap_ok(r != NULL, "inline tables parse");
    is_str(r, "name.first", "Tom");
    is_str(r, "name.last", "Preston-Werner");
    is_int(r, "point.y", 2);
    is_str(r, "animal.type.name", "pug");
    is_int(r, "animal.type.age", 3);
    is_len(r, "empty", TOML_TABLE, 0);
    is_len(r, "spaced", TOML_TABLE, 0);
    is_int(r, "deep.a.b.c.0.d", 1);
    is_int(r, "dots.a.b.d", 2);
    toml_free(r);
}

static void test_arrays_of_tables(void)
{
    struct toml_value *r = parse("[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n"
                                 "[[products]]  # empty table within the array\n\n"
                                 "[[products]]\nname = \"Nail\"\nsku = 284758393\ncolor = \"gray\"\n"
                                 "[[fruits]]\nname = \"apple\"\n"
                                 "[fruits.physical]\ncolor = \"red\"\nshape = \"round\"\n"
                                 "[[fruits.varieties]]\nname = \"red delicious\"\n"
                                 "[[fruits.varieties]]\nname = \"granny smith\"\n"
                                 "[[fruits]]\nname = \"banana\"\n"
                                 "[[fruits.varieties]]\nname = \"plantain\"\n"
                                 "[fruits.physical]\ncolor = \"yellow\"\n"
                                 "[a.b]\n[[a.c]]\nx = 1\n[[a.c]]\nx = 2\n[a]\ny = 3\n");

    tap_ok(r != NULL, "arrays of tables parse");
    is_len(r, "products", TOML_ARRAY, 3);
    is_str(r, "products.0.name", "Hammer");
    is_len(r, "products.1", TOML_TABLE, 0);
    is_str(r, "products.2.color", "gray");
    is_len(r, "fruits", TOML_ARRAY, 2);
    is_str(r, "fruits.0.physical.color", "red");
    is_len(r, "fruits.0.varieties", TOML_ARRAY, 2);
    is_str(r, "fruits.0.varieties.1.name", "granny smith");
    is_str(r, "fruits.1.varieties.0.name", "plantain");
    is_str(r, "fruits.1.physical.color", "yellow");
    is_int(r, "a.c.1.x", 2);
    is_int(r, "a.y", 3);
    toml_free(r);
}

static void test_dotted_across_tables(void)
{
    struct toml_value *r = parse("name.first = \"Arthur\"\n"
                                 "many.dots.here = 42\n"
                                 "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n"
                                 "[fruit.apple.texture]\nsmooth = true\n"
                                 "[[fruit.apple.seeds]]\nsize = 2\n"
                                 "[many.dots.more]\nx = 1\n"
                                 "[tbl]\na.b.c = { d.e = 1 }\n");

    tap_ok(r != NULL, "dotted keys across tables parse");
    is_str(r, "name.first", "Arthur");
    is_int(r, "many.dots.here", 42);
    is_str(r, "fruit.apple.color", "red");
    is_bool(r, "fruit.apple.taste.sweet", true);
    is_bool(r, "fruit.apple.texture.smooth", true);
    is_int(r, "fruit.apple.seeds.0.size", 2);
    is_int(r, "many.dots.more.x", 1);
    is_int(r, "tbl.a.b.c.d.e", 1);
    toml_free(r);
}

static void test_datetimes(void)
{
    struct toml_value *r = parse("odt1 = 1979-05-27T07:32:00Z\n"
                                 "odt2 = 1979-05-27T00:32:00-07:00\n"
                                 "odt3 = 1979-05-27T00:32:00.999999+05:30\n"
                                 "odt4 = 1979-05-27 07:32:00Z\n"
                                 "odt5 = 1979-05-27t07:32:00z\n"
                                 "ldt1 = 1979-05-27T07:32:00\n"
                                 "ldt2 = 1979-05-27T00:32:00.999999\n"
                                 "ld1 = 1979-05-27\n"
                                 "lt1 = 07:32:00\n"
                                 "lt2 = 00:32:00.999999\n"
                                 "leap1 = 2000-02-29\nleap2 = 2024-02-29\n"
                                 "leapsec = 1990-12-31T23:59:60Z\n"
                                 "arr = [1979-05-27, 07:32:00, 1979-05-27 07:32:00]\n"
                                 "ld2 = 1979-05-27 # a date and a comment\n");

    tap_ok(r != NULL, "datetimes parse");
    is_dt(r, "odt1", "1979-05-27T07:32:00Z");
    is_dt(r, "odt2", "1979-05-27T00:32:00-07:00");
    is_dt(r, "odt3", "1979-05-27T00:32:00.999999+05:30");
    is_dt(r, "odt4", "1979-05-27 07:32:00Z");
    is_dt(r, "odt5", "1979-05-27t07:32:00z");
    is_dt(r, "ldt1", "1979-05-27T07:32:00");
    is_dt(r, "ldt2", "1979-05-27T00:32:00.999999");
    is_dt(r, "ld1", "1979-05-27");
    is_dt(r, "lt1", "07:32:00");
    is_dt(r, "lt2", "00:32:00.999999");
    is_dt(r, "leap1", "2000-02-29");
    is_dt(r, "leap2", "2024-02-29");
    is_dt(r, "leapsec", "1990-12-31T23:59:60Z");
    is_dt(r, "arr.1", "07:32:00");
    is_dt(r, "arr.2", "1979-05-27 07:32:00");
    is_dt(r, "ld2", "1979-05-27");
    toml_free(r);
}

static void test_documents(void)
{
    struct toml_value *r = parse("");

    is_len(r, "", TOML_TABLE, 0);
    toml_free(r);
    r = parse("# only a comment");
    is_len(r, "", TOML_TABLE, 0);
    toml_free(r);
    r = parse("a = 1\r\n[t]\r\nb = \"x\"\r\n# c\r\n");
    is_int(r, "a", 1);
    is_str(r, "t.b", "x");
    toml_free(r);
    r = parse("\xEF\xBB\xBF" "a = 1");
    is_int(r, "a", 1);
    value_at(r, "a", 1, 5);
    toml_free(r);
    r = parse("a = 1");
    is_int(r, "a", 1);
    toml_free(r);
    r = parse("[a.b.c]\nanswer = 42\n[a]\nbetter = 43\n");
    is_int(r, "a.b.c.answer", 42);
    is_int(r, "a.better", 43);
    toml_free(r);
    r = parse("[[albums.songs]]\nname = \"Glory Days\"\n[albums]\nx = 1\n");
    is_str(r, "albums.songs.0.name", "Glory Days");
    toml_free(r);
}

/* A document whose every shape is checked at once, like a real config.toml. */
static void test_config_example(void)
{
    struct toml_value *r = parse("# This is a TOML document\n\ntitle = \"TOML Example\"\n\n"
                                 "[owner]\nname = \"Tom Preston-Werner\"\ndob = 1979-05-27T07:32:00-08:00\n\n"
                                 "[database]\nenabled = true\nports = [ 8000, 8001, 8002 ]\n"
                                 "data = [ [\"delta\", \"phi\"], [3.14] ]\n"
                                 "temp_targets = { cpu = 79.5, case = 72.0 }\n\n"
                                 "[servers]\n\n[servers.alpha]\nip = \"10.0.0.1\"\nrole = \"frontend\"\n\n"
                                 "[servers.beta]\nip = \"10.0.0.2\"\nrole = \"backend\"\n");

    tap_ok(r != NULL, "the TOML example document parses");
    is_dt(r, "owner.dob", "1979-05-27T07:32:00-08:00");
    is_int(r, "database.ports.2", 8002);
    is_float(r, "database.data.1.0", 3.14);
    is_float(r, "database.temp_targets.case", 72.0);
    is_str(r, "servers.beta.role", "backend");
    is_len(r, "servers", TOML_TABLE, 2);
    toml_free(r);
}

/* ---- positions ---- */

static void test_positions(void)
{
    struct toml_value *r = parse("name = \"x\"\n"
                                 "[server]\n"
                                 "  port = 8080\n"
                                 "  tags = [ 1, 22 ]\n"
                                 "  t = { a = 1, b.c = 2 }\n"
                                 "\tk = \"\xC3\xA9\" # two bytes\n"
                                 "m = \"\"\"\nline\n\"\"\"\n"
                                 "after = -3\n"
                                 "[[list]]\n"
                                 "dotted.key = 1.5\r\n"
                                 "crlf = true\r\n");
    struct toml_kv *kv;

    tap_ok(r != NULL, "position document parses");
    value_at(r, "name", 1, 8);
    kv = toml_get_kv(r, "name");
    is_pos(kv ? kv->pos : (struct toml_pos){ 0, 0 }, 1, 1, "key name");
    value_at(r, "server", 2, 1);
    kv = toml_get_kv(r, "server");
    is_pos(kv ? kv->pos : (struct toml_pos){ 0, 0 }, 2, 2, "key server");
    value_at(r, "server.port", 3, 10);
    kv = toml_get_kv(toml_get(r, "server"), "port");
    is_pos(kv ? kv->pos : (struct toml_pos){ 0, 0 }, 3, 3, "key port");
    value_at(r, "server.tags", 4, 10);
    value_at(r, "server.tags.0", 4, 12);
    value_at(r, "server.tags.1", 4, 15);
    value_at(r, "server.t", 5, 7);
    value_at(r, "server.t.a", 5, 13);
    value_at(r, "server.t.b.c", 5, 22);
    kv = toml_get_kv(at(r, "server.t.b"), "c");
    is_pos(kv ? kv->pos : (struct toml_pos){ 0, 0 }, 5, 18, "key c of dotted b.c");
    value_at(r, "server.k", 6, 6);
    value_at(r, "server.m", 7, 5);
    value_at(r, "server.after", 10, 9);
    value_at(r, "list.0", 11, 1);
    value_at(r, "list.0.dotted.key", 12, 14);
    value_at(r, "list.0.crlf", 13, 8);
    toml_free(r);
}

/* ---- invalid documents ---- */

static void test_errors_with_positions(void)
{
    bad_at("a = 1\nb = 2\na = 3\n", 3, 1, "duplicate key 'a' (first defined at line 1)",
           "a duplicate key");
    bad_at("key\n", 1, 4, "expected '=' after key", "a key without '='");
    bad_at("key value\n", 1, 5, "expected '=' after key", "a key and value without '='");
    bad_at("a = \"abc\nb = 1\n", 1, 5, "unterminated string", "an unterminated string");
    bad_at("a = 'abc", 1, 5, "unterminated string", "an unterminated literal string");
    bad_at("x = 1\na = \"\"\"abc\n\ndef", 2, 5, "unterminated multi-line string",
           "an unterminated multi-line string");
    bad_at("a = \"ok \\q\"", 1, 9, "invalid escape '\\q'", "an invalid escape");
    bad_at("a = 9223372036854775808", 1, 5, "integer out of range", "INT64_MAX + 1");
    bad_at("a = -9223372036854775809", 1, 5, "integer out of range", "INT64_MIN - 1");
    bad_at("a = 0x8000000000000000", 1, 5, "integer out of range", "a hex integer above INT64_MAX");
    bad_at("a = 012", 1, 5, "leading zeros", "a leading zero");
    bad_at("a = -012", 1, 6, "leading zeros", "a signed leading zero");
    bad_at("a = 1__0", 1, 6, "'_'", "a double underscore");
    bad_at("a = 1_", 1, 6, "'_'", "a trailing underscore");
    bad_at("a = 1.", 1, 7, "expected a digit", "'1.'");
    bad_at("a = .1", 1, 5, "expected a value", "'.1'");
    bad_at("a = 1e", 1, 7, "expected a digit", "'1e'");
    bad_at("a = 1.e5", 1, 7, "expected a digit", "'1.e5'");
    bad_at("a = +0x1", 1, 5, "cannot have a sign", "a sign on a hex integer");
    bad_at("a = 0o8", 1, 7, NULL, "octal digit 8");
    bad_at("a = 0b102", 1, 9, "binary", "binary digit 2");
    bad_at("a = 1e999", 1, 5, "float out of range", "a float overflowing to inf");
    bad_at("[fruit]\napple.color = \"red\"\n[fruit.apple]\n", 3, 8, "cannot redefine 'fruit.apple'",
           "[fruit.apple] after dotted apple");
    bad_at("[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]\n", 3, 14, "dotted keys",
           "[fruit.apple.taste] after dotted taste");
    bad_at("[a]\nx = 1\n[b]\n[a]\n", 4, 2, "cannot redefine 'a'", "a table defined twice");
    bad_at("[a.b]\n[a]\n[a]\n", 3, 2, "already defined by a [table] header at line 2",
           "an implicit table defined twice");
    bad_at("a = [1]\n[[a]]\n", 2, 3, "cannot append to 'a'", "[[a]] after a static array");
    bad_at("[a]\n[[a]]\n", 2, 3, "cannot append to 'a'", "[[a]] after [a]");
    bad_at("[[a]]\n[a]\n", 2, 2, "array of tables", "[a] after [[a]]");
    bad_at("a = {b = 1}\na.c = 2\n", 2, 1, "inline table", "adding to an inline table by dotted key");
    bad_at("a = {b = 1}\n[a.c]\n", 2, 2, "inline table", "extending an inline table by header");
    bad_at("a = {b = 1}\n[a]\n", 2, 2, "inline table", "redefining an inline table by header");
    bad_at("a = [{b = 1}]\n[a.c]\n", 2, 2, "as an array", "extending a static array of tables");
    bad_at("a = {b = 1,}", 1, 12, "trailing comma", "a trailing comma in an inline table");
    bad_at("a = {b = 1\n}", 1, 11, "newline", "a newline in an inline table");
    bad_at("a = {b = 1, b = 2}", 1, 13, "duplicate key 'b'", "a duplicate key in an inline table");
    bad_at("a = 1 b = 2", 1, 7, "expected newline or comment after value", "two pairs on a line");
    bad_at("[t] x = 1", 1, 5, "after table header", "a pair after a header");
    bad_at("a = 1\r\nb = 2\r", 2, 6, "carriage return", "a lone CR");
    bad_at("a = \"x\x01\"", 1, 7, "control character U+0001", "a control character in a string");
    bad_at("a = 'x\x7F'", 1, 7, "control character U+007F", "DEL in a literal string");
    bad_at("# c\x7F\n", 1, 4, "in comment", "DEL in a comment");
    bad_at("a = 1 # c\x0C", 1, 10, "in comment", "a form feed in a comment");
    bad_at("a = \"\xFF\"", 1, 6, "UTF-8", "a byte that is never UTF-8");
    bad_at("\n# \xC0\xAF", 2, 3, "UTF-8", "an overlong UTF-8 sequence");
    bad_at("a = \"\xED\xA0\x80\"", 1, 6, "UTF-8", "a UTF-8-encoded surrogate");
    bad_at("a = \"\\uD800\"", 1, 6, "not a Unicode scalar value", "a surrogate escape");
    bad_at("a = \"\\U00110000\"", 1, 6, "not a Unicode scalar value", "an escape above U+10FFFF");
    bad_at("a = \"\\u12\"", 1, 6, "needs 4 hex digits", "a short \\u escape");
    bad_at("a = \"\\u0000\"", 1, 6, "NUL", "a NUL escape");
    bad_len("a = \"x\0y\"", 9, 1, 7, "NUL byte in string", "a NUL byte in a string");
    bad_at("a = 2023-02-29", 1, 13, "day 29 out of range", "29 February in a common year");
    bad_at("a = 1900-02-29", 1, 13, "day 29", "29 February 1900");
    bad_at("a = 2023-04-31", 1, 13, "day 31", "31 April");
    bad_at("a = 2023-13-01", 1, 10, "month 13", "month 13");
    bad_at("a = 2023-00-01", 1, 10, "month 00", "month 0");
    bad_at("a = 24:00:00", 1, 5, "hour 24", "hour 24");
    bad_at("a = 12:60:00", 1, 8, "minute 60", "minute 60");
    bad_at("a = 12:00:61", 1, 11, "second 61", "second 61");
    bad_at("a = 12:00", 1, 10, "expected ':'", "a time without seconds");
    bad_at("a = 1979-05-27T07:32:00+24:00", 1, 25, "offset hour", "offset hour 24");
    bad_at("a = 1979-05-27T07:32:00.Z", 1, 25, "digits after '.'", "an empty fraction");
    bad_at("a = 1979-5-27", 1, 10, "expected 2 digits", "a one-digit month");
    bad_at("a = 07:32:00Z", 1, 13, "after value", "a local time with an offset");
    bad_at("a = \"\"\"x\"\"\"\"\"\"", 1, 14, "too many quotes", "six closing quotes");
    bad_at("x = 1\ny = [1,\n 2,\n  3", 2, 5, "unterminated array", "an unterminated array");
    bad_at("a = [1 2]", 1, 8, "expected ',' or ']'", "array items without a comma");
    bad_at("a = [1,,2]", 1, 8, "expected a value", "a double comma in an array");
    bad_at("a = {", 1, 5, "unterminated inline table", "an unterminated inline table");
    bad_at("[a]\nb = 1\n[a.b]\n", 3, 4, "cannot redefine 'a.b': already defined as an integer",
           "a header over an integer");
    bad_at("a.b = 1\na.b.c = 2\n", 2, 3, "cannot add keys to 'a.b'", "a dotted key through an integer");
    bad_at("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", 4, 1, "cannot add keys to 'b'",
           "dotted keys into a header-defined table");
    bad_at("[[a.b]]\n[a]\nb.y = 2\n", 3, 1, "array of tables", "dotted keys into an array of tables");
    bad_at("= 1", 1, 1, "expected a key", "a missing key");
    bad_at("a. = 1", 1, 4, "expected a key", "a key ending in a dot");
    bad_at("a = ", 1, 5, "expected a value", "a missing value");
    bad_at("a = true1", 1, 5, "invalid value", "a bare word");
    bad_at("a = True", 1, 5, "invalid value", "True");
    bad_at("[a\n", 1, 3, "expected ']'", "an unclosed header");
    bad_at("[[a]\n", 1, 4, "expected ']]'", "an unclosed array of tables header");
    bad_at("[]\n", 1, 2, "expected a key", "an empty header");
    bad_at("[a..b]\n", 1, 4, "expected a key", "an empty header part");
    bad_at("\"\"\"a\"\"\" = 1", 1, 1, "multi-line", "a multi-line string as a key");
    bad_at("a = 1\r\n[x\r\n", 2, 3, "expected ']'", "CRLF before an error");
    bad_at("a = \"\xC3\xA9\" x", 1, 10, "after value", "columns counted in bytes");
    bad_at("\ta = 1 x", 1, 8, "after value", "a tab is one column");
    bad_at("a = \"\"\"\nok\n\\q\"\"\"", 3, 1, "invalid escape '\\q'",
           "an escape error inside a multi-line string");
    bad_at("a = \"\"\"x \\ y\"\"\"", 1, 10, "invalid escape", "a backslash before a space mid-line");
}

static void test_errors(void)
{
    bad("a = 0X1F", "a capital X prefix");
    bad("a = -0o7", "a sign on an octal integer");
    bad("a = 0x", "a hex prefix without digits");
    bad("a = 0x_1", "an underscore after a prefix");
    bad("a = 1__0.0", "a double underscore in a float");
    bad("a = 1.0_", "a trailing underscore in a float");
    bad("a = 1_.0", "an underscore before a dot");
    bad("a = 1e_5", "an underscore before an exponent");
    bad("a = 00.1", "a leading zero in a float");
    bad("a = 1.2.3", "two dots in a float");
    bad("a = Inf", "Inf");
    bad("a = NaN", "NaN");
    bad("a = infinity", "infinity");
    bad("a = 1979-05-27T", "a T without a time");
    bad("a = 1979-05-27T07:32", "a date-time without seconds");
    bad("a = 07:32:00.", "a trailing dot in a time");
    bad("a = 1979-05-27 07:32:00+0700", "an offset without a colon");
    bad("a = \"a\" \"b\"", "two strings");
    bad("a = 'a\nb'", "a newline in a literal string");
    bad("a = \"a\\\nb\"", "a line-ending backslash in a basic string");
    bad("a = \"\\x41\"", "a \\x escape (TOML 1.1)");
    bad("a = \"\\e\"", "a \\e escape (TOML 1.1)");
    bad("a = {\n}", "an inline table across lines");
    bad("a = { b = 1 # c\n}", "a comment in an inline table");
    bad("a = {,}", "a lone comma in an inline table");
    bad("a = { a.b = 1, a = 2 }", "a dotted table redefined in an inline table");
    bad("a = { k = 1, k.name = 2 }", "an inline key used as a table");
    bad("a = [,]", "a lone comma in an array");
    bad("a = [1", "an array missing ']'");
    bad("[a]\n[a.b]\n[a.b]\n", "a sub-table defined twice");
    bad("[a.b]\nc = 1\n[a]\nb.d = 1\n", "a dotted key into an implicit table's child");
    bad("[[fruit]]\n[fruit.variety]\n[[fruit.variety]]\n", "[[x]] after [x]");
    bad("[[fruit.physical]]\n[fruit]\n[[fruit]]\n", "[[fruit]] after fruit became a table");
    bad("a = 1\n[a]\n", "a header over a value");
    bad("a = 1\n[a.b]\n", "a header through a value");
    bad("a = 1\na.b = 2\n", "a dotted key through a value");
    bad("a.b = 1\na = 2\n", "a value over a dotted table");
    bad("a.b = 1\n[a]\n", "a header over a dotted table");
    bad("a.b.c = 1\n[a.b]\n", "a header over a nested dotted table");
    bad("\"a\" = 1\na = 2\n", "a quoted and a bare key that are the same");
    bad("'' = 1\n\"\" = 2\n", "two empty keys");
    bad("a b = 1", "a key with a space");
    bad("\xE2\x82\xAC = 1", "a non-ASCII bare key");
    bad("a = \"\"\"\"\"\"\"\"\"", "a multi-line string closed by nine quotes");
    bad("a = '''x''''''", "a multi-line literal closed by six quotes");
    bad("a = \"\\u00E\"", "a \\u escape with three digits");
    bad("a = \"\\UD800D800\"", "a \\U escape of a surrogate");
    bad("\xEF\xBB\xBF\xEF\xBB\xBF" "a = 1", "a second byte order mark");
    bad("a = 1\n\r", "a lone CR on its own line");
    bad("a = [\r1]", "a lone CR in an array");
    bad("a = \"\"\"x\ry\"\"\"", "a lone CR in a multi-line string");
    bad_len("a = 1\n\0", 7, 2, 1, NULL, "a NUL byte outside strings");
    bad_len("# ok\0\n", 6, 1, 5, "control character U+0000", "a NUL byte in a comment");
}

/* Deep nesting is refused, not recursed into without bound. */
static void test_depth(void)
{
    char text[600];
    struct toml_value *r;
    size_t n;

    memcpy(text, "a = ", 4);
    for (n = 0; n < 200; n++)
        text[4 + n] = '[';
    text[4 + n] = '\0';
    bad_at(text, 1, 133, "nested too deeply", "200 nested arrays");

    memcpy(text, "a = ", 4);
    for (n = 0; n < 127; n++) {
        text[4 + n] = '[';
        text[4 + 127 + n] = ']';
    }
    text[4 + 2 * n] = '\0';
    r = parse(text);
    tap_ok(r != NULL, "127 nested arrays are fine");
    toml_free(r);

    strcpy(text, "a = ");
    for (n = 0; n < 130; n++)
        strcat(text, "{b=");
    bad(text, "130 nested inline tables");

    strcpy(text, "[a");
    for (n = 0; n < 140; n++)
        strcat(text, ".a");
    strcat(text, "]");
    bad(text, "a header 141 tables deep");
}

/* ---- toml_parse_value ---- */

static void test_parse_value(void)
{
    struct toml_error err;
    struct toml_value *v;

    v = toml_parse_value("42", &err);
    tap_ok(v && v->type == TOML_INTEGER && v->u.integer == 42, "parse_value: integer");
    is_pos(v ? v->pos : (struct toml_pos){ 0, 0 }, 1, 1, "parse_value: its position");
    toml_free(v);
    v = toml_parse_value("  \"hi\\tthere\"  ", &err);
    tap_ok(v && v->type == TOML_STRING && strcmp(v->u.str, "hi\tthere") == 0,
           "parse_value: string with spaces around");
    is_pos(v ? v->pos : (struct toml_pos){ 0, 0 }, 1, 3, "parse_value: string position");
    toml_free(v);
    v = toml_parse_value("[1, 'two', {three = 3}]", &err);
    tap_ok(v && v->type == TOML_ARRAY && v->u.arr.len == 3, "parse_value: array");
    is_int(v, "2.three", 3);
    toml_free(v);
    v = toml_parse_value("{ a.b = true }", &err);
    is_bool(v, "a.b", true);
    toml_free(v);
    v = toml_parse_value("1979-05-27", &err);
    tap_ok(v && v->type == TOML_DATETIME && strcmp(v->u.str, "1979-05-27") == 0, "parse_value: date");
    toml_free(v);
    v = toml_parse_value("-inf # comment", &err);
    tap_ok(v && v->type == TOML_FLOAT && isinf(v->u.flt) && v->u.flt < 0,
           "parse_value: -inf and a comment");
    toml_free(v);
    v = toml_parse_value("[\n  1,\n  2,\n]\n", &err);
    tap_ok(v && v->u.arr.len == 2, "parse_value: a multi-line array");
    toml_free(v);
    v = toml_parse_value("1 2", &err);
    tap_ok(!v && err.line == 1 && err.col == 3, "parse_value: trailing junk at 1:3");
    v = toml_parse_value("", &err);
    tap_ok(!v && err.line == 1 && err.col == 1, "parse_value: empty text at 1:1");
    v = toml_parse_value("hello", &err);
    tap_ok(!v && err.col == 1 && strstr(err.msg, "quoted"), "parse_value: an unquoted word");
    v = toml_parse_value("\"open", &err);
    tap_ok(!v && strstr(err.msg, "unterminated"), "parse_value: an unterminated string");
    v = toml_parse_value("true = 1", &err);
    tap_ok(!v && err.col == 6, "parse_value: a key/value pair is not a value");
    v = toml_parse_value("0x10", NULL);
    tap_ok(v && v->u.integer == 16, "parse_value: a NULL err is allowed");
    toml_free(v);
}

/* ---- files ---- */

static void test_parse_file(void)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    struct toml_error err;
    struct toml_value *r;
    FILE *f;
    int fd;

    snprintf(path, sizeof path, "%s/test_toml_XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!tap_ok(f != NULL, "create a temporary file"))
        return;
    fputs("# config\n[kernel]\ntimer_hz = 100\nname = 'anvil'\n", f);
    fclose(f);
    r = toml_parse_file(path, &err);
    is_int(r, "kernel.timer_hz", 100);
    value_at(r, "kernel.timer_hz", 3, 12);
    is_str(r, "kernel.name", "anvil");
    toml_free(r);

    f = fopen(path, "w");
    fputs("[kernel]\ntimer_hz = 1_\n", f);
    fclose(f);
    r = toml_parse_file(path, &err);
    tap_ok(!r && err.line == 2 && err.col == 13, "parse_file: syntax error at 2:13");
    remove(path);

    r = toml_parse_file(path, &err);
    tap_ok(!r && err.line == 0 && strcmp(err.msg, strerror(ENOENT)) == 0,
           "parse_file: a missing file gives line 0 and strerror");
}

/* ---- the tree API ---- */

static void test_set_and_get(void)
{
    struct toml_pos p0 = { 0, 0 }, p1 = { 4, 2 };
    struct toml_value *t = toml_new(TOML_TABLE, p0);
    struct toml_value *n = toml_new(TOML_INTEGER, p0);
    struct toml_value *s = toml_new(TOML_STRING, p0);
    struct toml_kv *kv;
    char key[16];

    tap_ok(t && t->type == TOML_TABLE && t->u.tab.len == 0, "toml_new: an empty table");
    tap_ok(s && s->u.str && strcmp(s->u.str, "") == 0, "toml_new: a string starts empty");
    toml_free(s);
    tap_is_int(toml_set(t, "name", p1, toml_new_string("first", p1)), 0, "toml_set: add");
    is_str(t, "name", "first");
    tap_is_int(toml_set(t, "name", p0, toml_new_string("second", p0)), 0, "toml_set: replace");
    is_str(t, "name", "second");
    is_len(t, "", TOML_TABLE, 1);
    kv = toml_get_kv(t, "name");
    is_pos(kv ? kv->pos : p1, 0, 0, "toml_set: the key takes the new position");
    tap_ok(toml_set(n, "x", p0, toml_new(TOML_BOOLEAN, p0)) < 0, "toml_set: not on an integer");
    tap_ok(toml_get(n, "x") == NULL, "toml_get: NULL on a non-table");
    tap_ok(toml_get(NULL, "x") == NULL, "toml_get: NULL on NULL");
    tap_ok(toml_get(t, "missing") == NULL, "toml_get: NULL when absent");
    toml_free(n);
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k%d", i);
        n = toml_new(TOML_INTEGER, p0);
        if (n)
            n->u.integer = i;
        toml_set(t, key, p0, n);
    }
    is_len(t, "", TOML_TABLE, 101);
    is_int(t, "k0", 0);
    is_int(t, "k99", 99);
    toml_free(t);
}

static void test_push(void)
{
    struct toml_pos p0 = { 0, 0 };
    struct toml_value *a = toml_new(TOML_ARRAY, p0);
    struct toml_value *t = toml_new(TOML_TABLE, p0);
    bool all = true;

    for (int i = 0; i < 1000; i++) {
        struct toml_value *n = toml_new(TOML_INTEGER, p0);

        if (n)
            n->u.integer = i;
        all = all && toml_push(a, n) == 0;
    }
    tap_ok(all && a->u.arr.len == 1000, "toml_push: 1000 items");
    is_int(a, "999", 999);
    is_int(a, "500", 500);
    tap_ok(toml_push(t, toml_new(TOML_INTEGER, p0)) < 0, "toml_push: not on a table");
    tap_ok(toml_push(a, NULL) < 0, "toml_push: not NULL");
    toml_free(a);
    toml_free(t);
    toml_free(NULL);
    tap_ok(1, "toml_free(NULL) is fine");
}

static void test_clone(void)
{
    struct toml_value *r = parse("a = [1, 'x', { b = 2.5 }]\n[[t]]\nd = 1979-05-27\n[s]\nk = true\n");
    struct toml_value *c = toml_clone(r);
    struct toml_pos p0 = { 0, 0 };

    tap_ok(c && c != r, "toml_clone: a new tree");
    toml_free(r);
    is_int(c, "a.0", 1);
    is_str(c, "a.1", "x");
    is_float(c, "a.2.b", 2.5);
    is_dt(c, "t.0.d", "1979-05-27");
    is_bool(c, "s.k", true);
    value_at(c, "t.0.d", 3, 5);
    tap_ok(toml_clone(NULL) == NULL, "toml_clone(NULL) is NULL");
    r = toml_clone(c);
    toml_set(r, "a", p0, toml_new_string("changed", p0));
    is_str(r, "a", "changed");
    is_int(c, "a.0", 1);
    toml_free(r);
    toml_free(c);
}

static void test_type_names(void)
{
    tap_is_str(toml_type_name(TOML_TABLE), "table", "type name: table");
    tap_is_str(toml_type_name(TOML_ARRAY), "array", "type name: array");
    tap_is_str(toml_type_name(TOML_STRING), "string", "type name: string");
    tap_is_str(toml_type_name(TOML_INTEGER), "integer", "type name: integer");
    tap_is_str(toml_type_name(TOML_FLOAT), "float", "type name: float");
    tap_is_str(toml_type_name(TOML_BOOLEAN), "boolean", "type name: boolean");
    tap_is_str(toml_type_name(TOML_DATETIME), "datetime", "type name: datetime");
}

int main(void)
{
    test_integers();
    test_floats();
    test_booleans_and_comments();
    test_basic_strings();
    test_literal_strings();
    test_multiline_basic();
    test_multiline_literal();
    test_keys();
    test_tables();
    test_arrays();
    test_inline_tables();
    test_arrays_of_tables();
    test_dotted_across_tables();
    test_datetimes();
    test_documents();
    test_config_example();
    test_positions();
    test_errors_with_positions();
    test_errors();
    test_depth();
    test_parse_value();
    test_parse_file();
    test_set_and_get();
    test_push();
    test_clone();
    test_type_names();
    return tap_done();
}
