/* kernel/mm/kmem.c: the kernel heap. Small blocks come from slabs: one
 * frame per slab, a slab header at its start, blocks of one size class
 * after it. A slab whose last block is freed goes back to the frame
 * allocator (one empty slab per class is kept, so a lone alloc/free pair
 * does not take and give a frame each time). Large blocks are frame runs.
 * Every block starts with a 16-byte header naming its class (or its frame
 * count), so kfree needs only the pointer. Blocks are 16-byte aligned. */
#include <stdint.h>

#include "arch/x86_64/paging.h"
#include "lib/kassert.h"
#include "lib/string.h"
#include "mm/kmap.h"
#include "mm/kmem.h"
#include "mm/kmem_guard.h"
#include "mm/pmm.h"

#define KMEM_MAGIC 0x6b6d656du   /* "kmem" */
#define SLAB_MAGIC 0x736c6162u   /* "slab" */
#define CLASS_COUNT 6            /* 32 .. 1024 bytes, header included; more: frame runs */
#define CLASS_MIN_SHIFT 5
#define LARGE_CLASS 0xffffffffu
#define SLAB_HEADER_BYTES 64     /* struct slab, rounded so blocks stay 16-byte aligned */

struct kmem_header {
    uint32_t magic;
    uint32_t class;     /* size class, or LARGE_CLASS */
    uint64_t pages;     /* large blocks: frames in the run */
};
_Static_assert(sizeof(struct kmem_header) == 16, "kmem: header keeps 16-byte alignment");

struct kmem_free {
    struct kmem_free *next;
};

/* The first bytes of every slab frame. */
struct slab {
    uint32_t magic;
    uint32_t class;
    uint32_t used;               /* blocks handed out */
    uint32_t capacity;
    struct kmem_free *free;      /* this slab's free blocks */
    struct slab *prev, *next;    /* on its class's partial list while it has free blocks */
};
_Static_assert(sizeof(struct slab) <= SLAB_HEADER_BYTES, "kmem: slab header fits its room");

/* Per class, the slabs with at least one free block (single CPU,
 * interrupts off: no lock). */
static struct slab *partial[CLASS_COUNT];

static size_t class_size(unsigned c)
{
    return (size_t)1 << (c + CLASS_MIN_SHIFT);
}

static void list_add(struct slab *s)
{
    s->prev = NULL;
    s->next = partial[s->class];
    if (s->next)
        s->next->prev = s;
    partial[s->class] = s;
}

static void list_remove(struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        partial[s->class] = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
}

static struct slab *slab_new(unsigned c)
{
    uint64_t phys = pmm_alloc();
    struct slab *s;
    char *page;

    if (!phys)
        return NULL;
    page = x86_phys_to_virt(phys);
    s = (struct slab *)page;
    *s = (struct slab){.magic = SLAB_MAGIC, .class = c};
    for (size_t off = SLAB_HEADER_BYTES; off + class_size(c) <= PMM_PAGE_SIZE;
         off += class_size(c)) {
        struct kmem_free *f = (struct kmem_free *)(page + off);
        f->next = s->free;
        s->free = f;
        s->capacity++;
    }
    list_add(s);
    return s;
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
    struct slab *s;
    unsigned c = 0;

    if (size > ((size_t)1 << 40))
        return NULL;
#ifdef ANVIL_FEATURE_KMEM_GUARD
    void *guarded = kmap_pml4_phys() ? kmem_guard_alloc(size) : NULL;
    if (guarded)
        return guarded;
#endif
    if (total > class_size(CLASS_COUNT - 1))
        return alloc_large(total);
    while (class_size(c) < total)
        c++;
    s = partial[c] ? partial[c] : slab_new(c);
    if (!s)
        return NULL;
    h = (struct kmem_header *)s->free;
    s->free = s->free->next;
    s->used++;
    if (!s->free)
        list_remove(s);
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

/* A block went back to s: an empty slab's frame is returned unless it is
 * the class's only partial slab. */
static void slab_put(struct slab *s, struct kmem_free *f)
{
    bool was_full = s->free == NULL;

    f->next = s->free;
    s->free = f;
    s->used--;
    if (was_full)
        list_add(s);
    if (s->used == 0 && (s->prev || s->next)) {
        list_remove(s);
        s->magic = 0;
        pmm_free_pages((uint64_t)s - X86_DIRECT_MAP_BASE, 1);
    }
}

void kfree(void *p)
{
    struct kmem_header *h;
    struct slab *s;

    if (!p)
        return;
#ifdef ANVIL_FEATURE_KMEM_GUARD
    if (kmem_guard_owns(p)) {
        kmem_guard_free(p);
        return;
    }
#endif
    h = (struct kmem_header *)p - 1;
    kassert(h->magic == KMEM_MAGIC);
    h->magic = 0;
    if (h->class == LARGE_CLASS) {
        pmm_free_pages((uint64_t)h - X86_DIRECT_MAP_BASE, h->pages);
        return;
    }
    s = (struct slab *)((uintptr_t)h & ~(uintptr_t)(PMM_PAGE_SIZE - 1));
    kassert(h->class < CLASS_COUNT && s->magic == SLAB_MAGIC && s->class == h->class &&
            s->used > 0);
    slab_put(s, (struct kmem_free *)h);
}
