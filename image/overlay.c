/* image/overlay.c: variants and --set overrides, applied to the parsed TOML tree
 * before validation, so their values keep the place they were written. */
#define _GNU_SOURCE
#include "overlay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct toml_error *err, struct toml_pos pos, const char *fmt, const char *arg)
{
    err->line = pos.line;
    err->col = pos.col;
    snprintf(err->msg, sizeof err->msg, fmt, arg);
    return -1;
}

static bool values_equal(const struct toml_value *a, const struct toml_value *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case TOML_STRING:
    case TOML_DATETIME:
        return strcmp(a->u.str, b->u.str) == 0;
    case TOML_INTEGER:
        return a->u.integer == b->u.integer;
    case TOML_FLOAT:
        return a->u.flt == b->u.flt;
    case TOML_BOOLEAN:
        return a->u.boolean == b->u.boolean;
    default:
        return false;   /* tables and arrays are never "the same item" */
    }
}

static void array_remove(struct toml_value *arr, const struct toml_value *item)
{
    size_t out = 0;

    for (size_t i = 0; i < arr->u.arr.len; i++) {
        if (values_equal(arr->u.arr.items[i], item))
            toml_free(arr->u.arr.items[i]);
        else
            arr->u.arr.items[out++] = arr->u.arr.items[i];
    }
    arr->u.arr.len = out;
}

/* A table of only add/remove arrays edits the array below it. */
static bool is_array_edit(const struct toml_value *over)
{
    if (over->type != TOML_TABLE || over->u.tab.len == 0)
        return false;
    for (size_t i = 0; i < over->u.tab.len; i++) {
        const struct toml_kv *kv = &over->u.tab.items[i];
        if (strcmp(kv->key, "add") && strcmp(kv->key, "remove"))
            return false;
    }
    return true;
}

static int edit_array(struct toml_value *arr, const struct toml_value *edit,
                      struct toml_error *err)
{
    const struct toml_value *rm = toml_get(edit, "remove");
    const struct toml_value *add = toml_get(edit, "add");

    if ((rm && rm->type != TOML_ARRAY) || (add && add->type != TOML_ARRAY))
        return fail(err, (rm && rm->type != TOML_ARRAY) ? rm->pos : add->pos,
                    "%s must be an array", (rm && rm->type != TOML_ARRAY) ? "remove" : "add");
    for (size_t i = 0; rm && i < rm->u.arr.len; i++)
        array_remove(arr, rm->u.arr.items[i]);
    for (size_t i = 0; add && i < add->u.arr.len; i++) {
        array_remove(arr, add->u.arr.items[i]);     /* no duplicates */
        toml_push(arr, toml_clone(add->u.arr.items[i]));
    }
    return 0;
}

int overlay_merge(struct toml_value *base, const struct toml_value *over,
                  const char *skip_key, struct toml_error *err)
{
    for (size_t i = 0; i < over->u.tab.len; i++) {
        const struct toml_kv *kv = &over->u.tab.items[i];
        struct toml_value *old = toml_get(base, kv->key);

        if (skip_key && !strcmp(kv->key, skip_key))
            continue;
        if (old && old->type == TOML_TABLE && kv->val->type == TOML_TABLE) {
            if (overlay_merge(old, kv->val, NULL, err) < 0)
                return -1;
        } else if (old && old->type == TOML_ARRAY && is_array_edit(kv->val)) {
            if (edit_array(old, kv->val, err) < 0)
                return -1;
        } else if (!old && is_array_edit(kv->val)) {
            return fail(err, kv->pos, "'%s' has no list to add to or remove from", kv->key);
        } else {
            toml_set(base, kv->key, kv->pos, toml_clone(kv->val));
        }
    }
    return 0;
}

static void stamp(struct toml_value *v, struct toml_pos pos)
{
    v->pos = pos;
    if (v->type == TOML_ARRAY)
        for (size_t i = 0; i < v->u.arr.len; i++)
            stamp(v->u.arr.items[i], pos);
    if (v->type == TOML_TABLE)
        for (size_t i = 0; i < v->u.tab.len; i++) {
            v->u.tab.items[i].pos = pos;
            stamp(v->u.tab.items[i].val, pos);
        }
}

static bool valid_key_part(const char *s)
{
    return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == strlen(s);
}

int overlay_set(struct toml_value *root, const char *assignment, int index,
                struct toml_error *err)
{
    struct toml_pos pos = {0, index};
    const char *eq = strchr(assignment, '=');
    struct toml_error verr;
    struct toml_value *val, *t = root;
    char *key, *part, *dot;
    int ret = 0;

    if (!eq || eq == assignment)
        return fail(err, pos, "%s", "expected KEY=VALUE");
    val = toml_parse_value(eq + 1, &verr);
    if (!val)
        val = toml_new_string(eq + 1, pos);
    stamp(val, pos);
    key = strndup(assignment, (size_t)(eq - assignment));
    for (part = key;; part = dot + 1) {
        struct toml_value *sub;

        dot = strchr(part, '.');
        if (dot)
            *dot = '\0';
        if (!valid_key_part(part)) {
            ret = fail(err, pos, "bad key part '%s'", part);
            break;
        }
        if (!dot) {
            toml_set(t, part, pos, val);
            val = NULL;
            break;
        }
        sub = toml_get(t, part);
        if (!sub || sub->type != TOML_TABLE) {
            sub = toml_new(TOML_TABLE, pos);
            toml_set(t, part, pos, sub);
        }
        t = sub;
    }
    if (val)
        toml_free(val);
    free(key);
    return ret;
}
