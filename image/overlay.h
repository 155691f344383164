/* image/overlay.h: variants and --set overrides, applied to the parsed TOML tree
 * before validation, so their values keep the place they were written. */
#ifndef ANVIL_IMAGE_OVERLAY_H
#define ANVIL_IMAGE_OVERLAY_H

#include "toml.h"

/* Merge over into base: tables merge key by key, scalars and arrays replace,
 * and a table {add = [...], remove = [...]} over an array edits that array.
 * A top-level key named skip_key (may be NULL) is left out. Returns 0, or -1 with a message in err (and err->line/col at the culprit). */
int overlay_merge(struct toml_value *base, const struct toml_value *over,
                  const char *skip_key, struct toml_error *err);

/* Apply one "a.b.c=VALUE" override. VALUE is read as TOML when it parses as a
 * value, else taken as a plain string. Its positions get line 0, col = index. */
int overlay_set(struct toml_value *root, const char *assignment, int index,
                struct toml_error *err);

#endif
