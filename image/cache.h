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
/* Add a string and its terminating NUL (so "ab","c" differs from "a","bc"). */
void cache_key_str(struct sha256 *key, const char *s);

/* Add a tool's identity (what `prog flag` prints, e.g. gcc --version), so a
 * compiler upgrade invalidates what it built. Remembered per run. */
void cache_key_tool(struct sha256 *key, const char *prog, const char *flag);

/* Copy the entry for hex to dest; true on a hit. */
bool cache_fetch(const char *hex, const char *dest);
/* Store src under hex (atomically; a failure only costs a later rebuild). */
void cache_store(const char *hex, const char *src);

#endif
