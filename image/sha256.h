/* image/sha256.h: SHA-256 (FIPS 180-4), the build cache's content addresses. */
#ifndef ANVIL_IMAGE_SHA256_H
#define ANVIL_IMAGE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE (2 * SHA256_DIGEST_SIZE + 1)

struct sha256 {
    uint32_t state[8];
    uint64_t length;        /* bytes hashed so far */
    uint8_t block[64];
    size_t used;            /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t digest[SHA256_DIGEST_SIZE]);
/* Finish and write the digest as 64 lowercase hex digits. */
void sha256_hex(struct sha256 *s, char hex[SHA256_HEX_SIZE]);

#endif
