/* kernel/lib/unaligned.h: little-endian loads from byte buffers at any
 * alignment (firmware tables, font files), without undefined behaviour. */
#ifndef ANVIL_LIB_UNALIGNED_H
#define ANVIL_LIB_UNALIGNED_H

#include <stdint.h>

#include "lib/string.h"

static inline uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);   /* x86 is little-endian */
    return v;
}

static inline uint64_t get_le64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
}

#endif
