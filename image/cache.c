/* image/cache.c: the build cache: files stored under the SHA-256 of everything
 * that went into making them, so an unchanged input is never compiled twice. */
#define _GNU_SOURCE
#include "cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools.h"
#include "util.h"

const char *cache_dir;

bool cache_key_file(struct sha256 *key, const char *path)
{
    size_t len;
    char *data = util_read_file(path, &len);

    if (!data)
        return false;
    sha256_update(key, &len, sizeof len);
    sha256_update(key, data, len);
    free(data);
    return true;
}

bool cache_key_stat(struct sha256 *key, const char *path)
{
    struct stat st;
    char text[96];

    if (stat(path, &st) < 0)
        return false;
    snprintf(text, sizeof text, "%s:%lld:%lld.%ld", path, (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    cache_key_str(key, text);
    return true;
}

void cache_key_str(struct sha256 *key, const char *s)
{
    sha256_update(key, s, strlen(s) + 1);
}

void cache_key_tool(struct sha256 *key, const char *prog)
{
    char *path = tools_find(prog);

    /* the installed binary's size and times change with its package's version */
    cache_key_str(key, prog);
    if (!path || !cache_key_stat(key, path))
        cache_key_str(key, "(missing)");
    free(path);
}

/* CACHE/ab/abcdef...: two-level, so no folder grows huge. */
static char *entry_path(const char *hex)
{
    return xasprintf("%s/%.2s/%s", cache_dir, hex, hex);
}

static int copy_file(const char *from, const char *to, unsigned mode, bool durable)
{
    size_t len;
    char *data = util_read_file(from, &len);
    int ret;

    if (!data)
        return -1;
    ret = durable ? util_write_atomic(to, data, len, mode)
                  : util_write_scratch(to, data, len, mode);
    free(data);
    return ret;
}

bool cache_fetch(const char *hex, const char *dest)
{
    char *path;
    struct stat st;
    bool hit;

    if (!cache_dir)
        return false;
    path = entry_path(hex);
    hit = stat(path, &st) == 0 && copy_file(path, dest, st.st_mode & 0777, false) == 0;
    free(path);
    return hit;
}

void cache_store(const char *hex, const char *src)
{
    char *path, *dir;
    struct stat st;

    if (!cache_dir || stat(src, &st) < 0)
        return;
    path = entry_path(hex);
    dir = util_dirname(path);
    if (util_mkdirs(dir, 0755) == 0)
        copy_file(src, path, st.st_mode & 0777, true);   /* the cache outlives crashes */
    free(dir);
    free(path);
}
