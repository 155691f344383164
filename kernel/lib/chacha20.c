/* kernel/lib/chacha20.c: the ChaCha20 block function as RFC 8439 §2.1-2.3
 * describes it: a 4x4 matrix of 32-bit words (constants, key, counter,
 * nonce), 20 rounds of quarter rounds (10 column + diagonal pairs), the
 * input added back, the words written out little-endian. */
#include "lib/chacha20.h"
#include "lib/string.h"

#define CHACHA20_WORDS 16
#define CHACHA20_DOUBLE_ROUNDS 10

/* "expand 32-byte k" as four little-endian words (§2.3). */
static const uint32_t sigma[4] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u};

static uint32_t rotl(uint32_t v, int n)
{
    return (v << n) | (v >> (32 - n));
}

static uint32_t load32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* §2.1: the quarter round on four words of the state. */
static void quarter(uint32_t *x, int a, int b, int c, int d)
{
    x[a] += x[b]; x[d] ^= x[a]; x[d] = rotl(x[d], 16);
    x[c] += x[d]; x[b] ^= x[c]; x[b] = rotl(x[b], 12);
    x[a] += x[b]; x[d] ^= x[a]; x[d] = rotl(x[d], 8);
    x[c] += x[d]; x[b] ^= x[c]; x[b] = rotl(x[b], 7);
}

void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t out[CHACHA20_BLOCK_BYTES])
{
    uint32_t in[CHACHA20_WORDS], x[CHACHA20_WORDS];

    for (int i = 0; i < 4; i++)
        in[i] = sigma[i];
    for (int i = 0; i < 8; i++)
        in[4 + i] = load32(key + 4 * i);
    in[12] = counter;
    for (int i = 0; i < 3; i++)
        in[13 + i] = load32(nonce + 4 * i);
    memcpy(x, in, sizeof(x));
    for (int r = 0; r < CHACHA20_DOUBLE_ROUNDS; r++) {
        quarter(x, 0, 4, 8, 12);    /* columns */
        quarter(x, 1, 5, 9, 13);
        quarter(x, 2, 6, 10, 14);
        quarter(x, 3, 7, 11, 15);
        quarter(x, 0, 5, 10, 15);   /* diagonals */
        quarter(x, 1, 6, 11, 12);
        quarter(x, 2, 7, 8, 13);
        quarter(x, 3, 4, 9, 14);
    }
    for (int i = 0; i < CHACHA20_WORDS; i++)
        store32(out + 4 * i, x[i] + in[i]);
    memset(x, 0, sizeof(x));
    memset(in, 0, sizeof(in));
}

/* RFC 8439 §2.3.2: key 00..1f, nonce 00 00 00 09 00 00 00 4a 00 00 00 00,
 * block counter 1; the serialized block. */
static const uint8_t test_nonce[CHACHA20_NONCE_BYTES] = {0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0};
static const uint8_t test_block[CHACHA20_BLOCK_BYTES] = {
    0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
    0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
    0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
    0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
};

bool chacha20_selftest(void)
{
    uint8_t key[CHACHA20_KEY_BYTES], out[CHACHA20_BLOCK_BYTES];

    for (int i = 0; i < CHACHA20_KEY_BYTES; i++)
        key[i] = (uint8_t)i;
    chacha20_block(key, 1, test_nonce, out);
    return memcmp(out, test_block, sizeof(out)) == 0;
}
