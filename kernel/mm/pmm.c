/* kernel/mm/pmm.c: physical frames in a bitmap (1 = in use) with a 16-bit
 * reference count per frame. Both arrays live in the first usable range big
 * enough below 4 GiB (the boot direct map). Single CPU, interrupts off in
 * the kernel: no locking. */
#include "arch/x86_64/paging.h"
#include "lib/errno.h"
#include "lib/kassert.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/pmm.h"

#define LOW_MEMORY_END 0x100000ull   /* BIOS data, real-mode IVT: left alone */
#define MAX_EXCLUDED (BOOT_MODULES_MAX + 3)
#define BITS_PER_WORD 64

struct range {
    uint64_t start, end;
};

/* Written at boot; then the allocator's state (single CPU, no lock). */
static uint64_t *pmm_bitmap;
static uint16_t *pmm_refs;
static size_t pmm_frames;       /* frames covered by the arrays */
static size_t pmm_free;
static size_t pmm_total;
static size_t pmm_hint;         /* next-fit search start */
static uint64_t pmm_end;

static struct range excluded[MAX_EXCLUDED];
static size_t excluded_count;

extern char __kernel_start[], __kernel_end[];

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static void exclude(uint64_t start, uint64_t end)
{
    if (excluded_count < MAX_EXCLUDED)
        excluded[excluded_count++] = (struct range){start & ~(PMM_PAGE_SIZE - 1),
                                                    align_up(end, PMM_PAGE_SIZE)};
}

/* First address >= a that does not fall in an excluded range. */
static uint64_t skip_excluded(uint64_t a)
{
    bool moved = true;

    while (moved) {
        moved = false;
        for (size_t i = 0; i < excluded_count; i++) {
            if (a >= excluded[i].start && a < excluded[i].end) {
                a = excluded[i].end;
                moved = true;
            }
        }
    }
    return a;
}

static bool is_excluded(uint64_t a)
{
    return skip_excluded(a) != a;
}

static void collect_exclusions(const struct boot_info *bi)
{
    exclude(0, LOW_MEMORY_END);
    exclude(x86_kernel_virt_to_phys(__kernel_start), x86_kernel_virt_to_phys(__kernel_end));
    for (size_t i = 0; i < bi->module_count; i++)
        exclude(bi->modules[i].phys, bi->modules[i].phys + bi->modules[i].size);
}

/* Find room for the bitmap and counts: a stretch of one usable region below
 * the boot direct map's end that crosses no exclusion. */
static uint64_t place_metadata(const struct boot_info *bi, uint64_t size)
{
    for (size_t i = 0; i < bi->mem_count; i++) {
        const struct boot_mem_region *r = &bi->mem[i];
        uint64_t end = r->base + r->length;

        if (r->type != BOOT_MEM_USABLE)
            continue;
        for (uint64_t a = skip_excluded(align_up(r->base, PMM_PAGE_SIZE)); a + size <= end;
             a = skip_excluded(a + PMM_PAGE_SIZE)) {
            if (!x86_direct_map_covers(a, size))
                break;
            bool clear = true;
            for (uint64_t p = a; p < a + size && clear; p += PMM_PAGE_SIZE)
                clear = !is_excluded(p);
            if (clear)
                return a;
        }
    }
    return 0;
}

static void set_used(size_t f, bool used)
{
    if (used)
        pmm_bitmap[f / BITS_PER_WORD] |= 1ull << (f % BITS_PER_WORD);
    else
        pmm_bitmap[f / BITS_PER_WORD] &= ~(1ull << (f % BITS_PER_WORD));
}

static bool is_used(size_t f)
{
    return pmm_bitmap[f / BITS_PER_WORD] & (1ull << (f % BITS_PER_WORD));
}

static void free_usable(const struct boot_info *bi)
{
    for (size_t i = 0; i < bi->mem_count; i++) {
        const struct boot_mem_region *r = &bi->mem[i];

        if (r->type != BOOT_MEM_USABLE)
            continue;
        for (uint64_t a = align_up(r->base, PMM_PAGE_SIZE); a + PMM_PAGE_SIZE <= r->base + r->length;
             a += PMM_PAGE_SIZE) {
            if (is_excluded(a))
                continue;
            set_used(a / PMM_PAGE_SIZE, false);
            pmm_free++;
        }
    }
    pmm_total = pmm_free;
}

void pmm_init(const struct boot_info *bi)
{
    uint64_t meta, size;

    for (size_t i = 0; i < bi->mem_count; i++)
        if (bi->mem[i].type == BOOT_MEM_USABLE && bi->mem[i].base + bi->mem[i].length > pmm_end)
            pmm_end = (bi->mem[i].base + bi->mem[i].length) & ~(PMM_PAGE_SIZE - 1);
    pmm_frames = pmm_end / PMM_PAGE_SIZE;
    collect_exclusions(bi);
    size = align_up(pmm_frames / 8 + 8, 8) + pmm_frames * sizeof(uint16_t);
    size = align_up(size, PMM_PAGE_SIZE);
    meta = place_metadata(bi, size);
    if (!meta) {
        kprintf("pmm: no room for %lu bytes of frame metadata\n", size);
        return;
    }
    exclude(meta, meta + size);
    pmm_bitmap = x86_phys_to_virt(meta);
    pmm_refs = (uint16_t *)((char *)pmm_bitmap + align_up(pmm_frames / 8 + 8, 8));
    memset(pmm_bitmap, 0xff, align_up(pmm_frames / 8 + 8, 8));
    memset(pmm_refs, 0, pmm_frames * sizeof(uint16_t));
    free_usable(bi);
}

/* Is the run [f, f + n) free? If not, *next is where to look again. */
static bool run_free(size_t f, size_t n, size_t *next)
{
    for (size_t i = 0; i < n; i++) {
        if (is_used(f + i)) {
            *next = f + i + 1;
            return false;
        }
    }
    return true;
}

static size_t find_run(size_t from, size_t to, size_t n)
{
    size_t f = from;

    while (f + n <= to) {
        if (pmm_bitmap[f / BITS_PER_WORD] == ~0ull && f % BITS_PER_WORD == 0) {
            f += BITS_PER_WORD;
            continue;
        }
        size_t next;
        if (run_free(f, n, &next))
            return f;
        f = next;
    }
    return 0;
}

uint64_t pmm_alloc_pages(size_t n)
{
    size_t f;

    if (n == 0 || n > pmm_free || !pmm_bitmap)
        return 0;
    f = find_run(pmm_hint, pmm_frames, n);
    if (!f)
        f = find_run(0, pmm_frames, n);
    if (!f)
        return 0;
    for (size_t i = 0; i < n; i++) {
        set_used(f + i, true);
        pmm_refs[f + i] = 1;
    }
    pmm_free -= n;
    pmm_hint = f + n;
    return (uint64_t)f * PMM_PAGE_SIZE;
}

uint64_t pmm_alloc(void)
{
    return pmm_alloc_pages(1);
}

uint64_t pmm_alloc_zero(void)
{
    uint64_t p = pmm_alloc();

    if (p)
        memset(x86_phys_to_virt(p), 0, PMM_PAGE_SIZE);
    return p;
}

/* The kernel's reserve (written at boot, read-only after). */
static size_t reserve_frames;
static bool (*reserve_may_use)(void);

void pmm_set_reserve(size_t frames, bool (*may_use)(void))
{
    reserve_frames = frames;
    reserve_may_use = may_use;
}

size_t pmm_reserve_count(void)
{
    return reserve_frames;
}

uint64_t pmm_alloc_user(void)
{
    if (pmm_free <= reserve_frames && !(reserve_may_use && reserve_may_use()))
        return 0;
    return pmm_alloc();
}

uint64_t pmm_alloc_user_zero(void)
{
    uint64_t p = pmm_alloc_user();

    if (p)
        memset(x86_phys_to_virt(p), 0, PMM_PAGE_SIZE);
    return p;
}

static void release(size_t f)
{
    kassert(f < pmm_frames && is_used(f));
    set_used(f, false);
    pmm_refs[f] = 0;
    pmm_free++;
}

void pmm_free_pages(uint64_t phys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        release(phys / PMM_PAGE_SIZE + i);
}

int pmm_ref(uint64_t phys)
{
    size_t f = phys / PMM_PAGE_SIZE;

    kassert(f < pmm_frames && pmm_refs[f] > 0);
    if (pmm_refs[f] == UINT16_MAX)
        return -ENOMEM;   /* a user can map one frame that often: an error, not a panic */
    pmm_refs[f]++;
    return 0;
}

void pmm_unref(uint64_t phys)
{
    size_t f = phys / PMM_PAGE_SIZE;

    kassert(f < pmm_frames && pmm_refs[f] > 0);
    if (--pmm_refs[f] == 0) {
        pmm_refs[f] = 1;
        release(f);
    }
}

unsigned pmm_refcount(uint64_t phys)
{
    size_t f = phys / PMM_PAGE_SIZE;

    return f < pmm_frames ? pmm_refs[f] : 0;
}

size_t pmm_free_count(void)
{
    return pmm_free;
}

size_t pmm_total_count(void)
{
    return pmm_total;
}

uint64_t pmm_memory_end(void)
{
    return pmm_end;
}
