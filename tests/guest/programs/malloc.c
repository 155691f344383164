/* tests/guest/programs/malloc.c: memory from the kernel through musl's malloc: a 64 MiB
 * block touched on every page, fresh pages that read as zero, thousands of small blocks,
 * realloc growth that keeps contents, and a clean failure for an impossible size. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "util.h"

#define PAGE_SIZE_BYTES 4096u          /* x86_64 base page */
#define BIG_BLOCK_BYTES (64u << 20)
#define ZEROED_BYTES (8u << 20)
#define SMALL_COUNT 20000u
#define SMALL_MAX_BYTES 512u
#define MALLOC_ALIGN 16u               /* alignof(max_align_t) on x86_64 */
#define REALLOC_MAX_BYTES (4u << 20)

/* A value no two pages share, so a page mapped twice or swapped would show. */
static uint64_t page_pattern(size_t page)
{
    return 0x9e3779b97f4a7c15ull * (page + 1);
}

/* Three distinct words per page: first, last, and one that moves around in between. */
static uint64_t *page_word(unsigned char *base, size_t page, int which)
{
    size_t words = PAGE_SIZE_BYTES / sizeof(uint64_t);
    size_t index = which == 0 ? 0 : which == 1 ? words - 1 : 1 + (page * 37) % (words - 2);

    return (uint64_t *)(base + page * PAGE_SIZE_BYTES) + index;
}

static void test_big_block(void)
{
    size_t pages = BIG_BLOCK_BYTES / PAGE_SIZE_BYTES, bad = 0;
    unsigned char *block = malloc(BIG_BLOCK_BYTES);

    if (!tap_ok(block != NULL, "malloc of 64 MiB"))
        return;
    for (size_t p = 0; p < pages; p++)
        for (int w = 0; w < 3; w++)
            *page_word(block, p, w) = page_pattern(p) + (uint64_t)w;
    for (size_t p = 0; p < pages; p++)
        for (int w = 0; w < 3; w++)
            bad += *page_word(block, p, w) != page_pattern(p) + (uint64_t)w;
    if (!tap_ok(bad == 0, "all %zu pages of the 64 MiB block keep their pattern", pages))
        tap_diag("%zu words differ", bad);
    free(block);
}

/* Run after the big block is freed: recycled frames must come back cleared. */
static void test_fresh_pages_are_zero(void)
{
    uint64_t *words = calloc(ZEROED_BYTES / sizeof(uint64_t), sizeof(uint64_t));
    size_t nonzero = 0;

    if (!tap_ok(words != NULL, "calloc of 8 MiB"))
        return;
    for (size_t i = 0; i < ZEROED_BYTES / sizeof(uint64_t); i++)
        nonzero += words[i] != 0;
    if (!tap_ok(nonzero == 0, "every word of the 8 MiB calloc block reads as zero"))
        tap_diag("%zu nonzero words", nonzero);
    free(words);
}

static unsigned char small_fill(size_t i)
{
    return (unsigned char)(i * 7 + 1);
}

/* Fisher-Yates with the test's PRNG, so blocks are freed out of order. */
static void shuffle(size_t *order, size_t n, uint64_t *rng)
{
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(xorshift64(rng) % (i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

static void test_many_small_blocks(void)
{
    static unsigned char *blocks[SMALL_COUNT];
    static size_t sizes[SMALL_COUNT], order[SMALL_COUNT];
    uint64_t rng = 12345;
    size_t failed = 0, misaligned = 0, corrupt = 0;

    for (size_t i = 0; i < SMALL_COUNT; i++) {
        sizes[i] = 1 + (size_t)(xorshift64(&rng) % SMALL_MAX_BYTES);
        blocks[i] = malloc(sizes[i]);
        failed += blocks[i] == NULL;
        misaligned += ((uintptr_t)blocks[i] % MALLOC_ALIGN) != 0;
        if (blocks[i])
            memset(blocks[i], small_fill(i), sizes[i]);
        order[i] = i;
    }
    tap_ok(failed == 0 && misaligned == 0, "%u small blocks allocated, all %u-byte aligned",
           SMALL_COUNT, MALLOC_ALIGN);
    for (size_t i = 0; i < SMALL_COUNT; i++)
        for (size_t k = 0; blocks[i] && k < sizes[i]; k++)
            corrupt += blocks[i][k] != small_fill(i);
    if (!tap_ok(corrupt == 0, "no small block overlaps another"))
        tap_diag("%zu bytes changed", corrupt);
    shuffle(order, SMALL_COUNT, &rng);
    for (size_t i = 0; i < SMALL_COUNT; i++)
        free(blocks[order[i]]);
}

static unsigned char grow_fill(size_t offset)
{
    return (unsigned char)(offset * 131 + 7);
}

static void test_realloc_growth(void)
{
    size_t size = 16, lost = 0;
    unsigned char *p = malloc(size);

    for (size_t k = 0; p && k < size; k++)
        p[k] = grow_fill(k);
    while (p && size < REALLOC_MAX_BYTES) {
        unsigned char *bigger = realloc(p, size * 2);
        if (!bigger)
            break;
        p = bigger;
        for (size_t k = 0; k < size; k++)
            lost += p[k] != grow_fill(k);
        for (size_t k = size; k < size * 2; k++)
            p[k] = grow_fill(k);
        size *= 2;
    }
    if (!tap_ok(p && size == REALLOC_MAX_BYTES && lost == 0,
                "realloc doubling from 16 bytes to 4 MiB keeps the old contents"))
        tap_diag("reached %zu bytes, %zu bytes lost", size, lost);
    p = p ? realloc(p, 100) : NULL;
    for (size_t k = 0; p && k < 100; k++)
        lost += p[k] != grow_fill(k);
    tap_ok(p && lost == 0, "realloc shrinking to 100 bytes keeps the prefix");
    free(p);
}

static void test_impossible_size(void)
{
    size_t impossible = (size_t)1 << 62;   /* beyond any x86_64 address space */
    void *p;

    errno = 0;
    p = malloc(impossible);
    tap_fails_with(p ? 0 : -1, ENOMEM, "malloc of 4 EiB fails with ENOMEM");
    free(p);
}

int main(void)
{
    test_big_block();
    test_fresh_pages_are_zero();
    test_many_small_blocks();
    test_realloc_growth();
    test_impossible_size();
    return tap_done();
}
