/* tests/host/config_load.h: loading a config written from a string, for the
 * manifest's unit tests. A test defines `dir` (its scratch folder, made with
 * mkdtemp) before including this; what manifest_load prints lands in errors[]. */
#ifndef ANVIL_TESTS_CONFIG_LOAD_H
#define ANVIL_TESTS_CONFIG_LOAD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "tap.h"
#include "util.h"

static char errors[8192];

/* Write text to dir/config.toml: the path (caller frees). */
static char *write_config(const char *text)
{
    char *path = xasprintf("%s/config.toml", dir);
    FILE *f = fopen(path, "w");

    fputs(text, f);
    fclose(f);
    return path;
}

/* Load text as a config; what manifest_load prints goes to errors[]. */
static struct manifest *load(const char *text, const char *variant, char *const *sets,
                             size_t sets_len)
{
    char *path = write_config(text);
    char *errpath = xasprintf("%s/stderr", dir);
    int saved = dup(2);
    FILE *f = freopen(errpath, "w", stderr);
    struct manifest *m = manifest_load(path, variant, sets, sets_len);
    size_t n;

    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    f = fopen(errpath, "r");
    n = fread(errors, 1, sizeof errors - 1, f);
    errors[n] = '\0';
    fclose(f);
    free(errpath);
    free(path);
    return m;
}

/* text must fail to load with an error containing want. */
static void expect_error(const char *text, const char *want, const char *name)
{
    struct manifest *m = load(text, NULL, NULL, 0);

    if (!tap_ok(!m && strstr(errors, want), "%s", name))
        printf("#   want: %s\n#   got:  %s\n", want, errors);
    manifest_free(m);
}

#endif
