/* image/manifest_check.h: the checks every manifest section is made of: keys,
 * types and ranges, each error naming FILE:LINE:COL. Used by manifest.c and
 * by the sections kept in files of their own (services.c). */
#ifndef ANVIL_IMAGE_MANIFEST_CHECK_H
#define ANVIL_IMAGE_MANIFEST_CHECK_H

#include <stdbool.h>

#include "manifest.h"
#include "toml.h"

/* Where errors are reported: the file, and the --set arguments (line 0). */
struct mf_ctx {
    const char *file;
    char *const *sets;
    int errors;
};

void mf_error(struct mf_ctx *c, struct toml_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Every key of t must be in known (NULL-terminated). */
void mf_check_keys(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                   const char *const known[]);
bool mf_is_table(struct mf_ctx *c, const struct toml_value *v, const char *name);
/* Each getter leaves *dst alone when the key is absent and reports a bad value. */
void mf_get_string(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                   const char *key, char **dst);
void mf_get_int(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                const char *key, int lo, int hi, int *dst);
void mf_get_enum(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                 const char *key, const char *const names[], int *dst);
/* An array of strings (the value, for per-item checks), or NULL. */
const struct toml_value *mf_get_string_list(struct mf_ctx *c, const struct toml_value *t,
                                            const char *sect, const char *key);
bool mf_is_name(const char *s);
bool mf_is_image_path(const char *p);

#endif
