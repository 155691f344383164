/* image/crc32.h: CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the
 * checksum of GPT headers and entry arrays and of PNG chunks. */
#ifndef ANVIL_IMAGE_CRC32_H
#define ANVIL_IMAGE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * The running CRC of everything passed so far. Start with crc = 0 and pass the
 * previous result to continue. The initial value 0xFFFFFFFF and the final XOR
 * with 0xFFFFFFFF are applied inside, so the result is the finished CRC:
 * crc32_update(0, "123456789", 9) == 0xCBF43926, and
 * crc32_update(crc32_update(0, a, n), b, m) is the CRC of a followed by b.
 */
uint32_t crc32_update(uint32_t crc, const void *p, size_t n);

#endif
