/* kernel/mm/kmem.c: the kernel heap. Every block starts with a 16-byte
 * header naming its size class (or its frame count for large blocks), so
 * kfree needs only the pointer. Blocks are 16-byte aligned. */
#include <stdint.h>

#include "arch/x86_64/paging.h"
#include "lib/kassert.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"

#define KMEM_MAGIC 0x6b6d656du   /* "kmem" */
#define CLASS_COUNT 8            /* 32 .. 4096 bytes, header included */
#define CLASS_MIN_SHIFT 5
#define LARGE_CLASS 0xffffffffu

struct kmem_header {
    uint32_t magic;
    uint32_t class;     /* size class, or LARGE_CLASS */
    uint64_t pages;     /* large blocks: frames in the run */
};
_Static_assert(sizeof(struct kmem_header) == 16, "kmem: header keeps 16-byte alignment");

struct kmem_free {
    struct kmem_free *next;
};

/* The free lists per class (single CPU, interrupts off: no lock). */
static struct kmem_free *free_lists[CLASS_COUNT];

static size_t class_size(unsigned c)
{
    return (size_t)1 << (c + CLASS_MIN_SHIFT);
}

static bool refill(unsigned c)
{
    uint64_t phys = pmm_alloc();
    char *page;

    if (!phys)
        return false;
    page = x86_phys_to_virt(phys);
    for (size_t off = 0; off + class_size(c) <= PMM_PAGE_SIZE; off += class_size(c)) {
        struct kmem_free *f = (struct kmem_free *)(page + off);
        f->next = free_lists[c];
        free_lists[c] = f;
    }
    return true;
}

static void *alloc_large(size_t total)
{
    size_t pages = (total + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
    uint64_t phys = pmm_alloc_pages(pages);
    struct kmem_header *h;

    if (!phys)
        return NULL;
    h = x86_phys_to_virt(phys);
    *h = (struct kmem_header){KMEM_MAGIC, LARGE_CLASS, pages};
    return h + 1;
}

void *kmalloc(size_t size)
{
    size_t total = size + sizeof(struct kmem_header);
    struct kmem_header *h;
    unsigned c = 0;

    if (size > ((size_t)1 << 40))
        return NULL;
    if (total > class_size(CLASS_COUNT - 1))
        return alloc_large(total);
    while (class_size(c) < total)
        c++;
    if (!free_lists[c] && !refill(c))
        return NULL;
    h = (struct kmem_header *)free_lists[c];
    free_lists[c] = free_lists[c]->next;
    *h = (struct kmem_header){KMEM_MAGIC, c, 0};
    return h + 1;
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);

    if (p)
        memset(p, 0, size);
    return p;
}

void kfree(void *p)
{
    struct kmem_header *h;
    struct kmem_free *f;

    if (!p)
        return;
    h = (struct kmem_header *)p - 1;
    kassert(h->magic == KMEM_MAGIC);
    h->magic = 0;
    if (h->class == LARGE_CLASS) {
        pmm_free_pages((uint64_t)h - X86_DIRECT_MAP_BASE, h->pages);
        return;
    }
    kassert(h->class < CLASS_COUNT);
    f = (struct kmem_free *)h;
    f->next = free_lists[h->class];
    free_lists[h->class] = f;
}
