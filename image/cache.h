/* image/cache.h: the build cache: files stored under the SHA-256 of everything
 * that went into making them, so an unchanged input is never compiled twice. */
#ifndef ANVIL_IMAGE_CACHE_H
#define ANVIL_IMAGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "sha256.h"

/* Where the cache lives (set once by mkimage; NULL turns caching off). */
extern const char *cache_dir;

/* Add a file's contents to a key; false when it cannot be read. */
bool cache_key_file(struct sha256 *key, const char *path);
/* Add a big file the system owns (libc.a) by its size and times: a package
 * upgrade changes them, and reading megabytes per build would not pay. */
bool cache_key_stat(struct sha256 *key, const char *path);
/* Add a string and its terminating NUL (so "ab","c" differs from "a","bc"). */
void cache_key_str(struct sha256 *key, const char *s);

/* Add a tool's identity (its installed binary, found on PATH), so a compiler
 * upgrade invalidates what it built. */
void cache_key_tool(struct sha256 *key, const char *prog);

/* Copy the entry for hex to dest; true on a hit. */
bool cache_fetch(const char *hex, const char *dest);
/* Store src under hex (atomically; a failure only costs a later rebuild). */
void cache_store(const char *hex, const char *src);

#endif
