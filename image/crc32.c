/* image/crc32.c: CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the
 * checksum of GPT headers and entry arrays (UEFI 2.10 §5.3.2) and PNG chunks. */
#include "crc32.h"

#include <stdbool.h>

#define CRC32_POLY_REFLECTED 0xEDB88320u  /* x^32+x^26+...+1, bit-reversed */
#define CRC32_XOR 0xFFFFFFFFu             /* initial value and final XOR */

/* One entry per byte value; built on first use (mkimage is single-threaded). */
static uint32_t crc32_table[256];
static bool crc32_ready;

static void build_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int bit = 0; bit < 8; bit++)
            c = (c & 1) ? (c >> 1) ^ CRC32_POLY_REFLECTED : c >> 1;
        crc32_table[i] = c;
    }
    crc32_ready = true;
}

uint32_t crc32_update(uint32_t crc, const void *p, size_t n)
{
    const uint8_t *b = p;

    if (!crc32_ready)
        build_table();
    crc ^= CRC32_XOR;
    for (size_t i = 0; i < n; i++)
        crc = crc32_table[(crc ^ b[i]) & 0xFF] ^ (crc >> 8);
    return crc ^ CRC32_XOR;
}
