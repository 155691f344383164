/* kernel/mm/vm.c: user address spaces: areas, lazy pages, copy-on-write.
 * A present page in a writable area that is mapped read-only is a shared
 * copy-on-write page: the first write copies it (or takes it back when no
 * one else holds it). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmap.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "mm/vm.h"

#define USER_TABLE_FLAGS (X86_PTE_WRITE | X86_PTE_USER)
#define LEVEL_SHIFT(l) (12 + 9 * ((l) - 1))

/* The space whose tables are loaded (single CPU). */
static struct vm_space *vm_active;

static uint64_t *space_pml4(struct vm_space *vs)
{
    return x86_phys_to_virt(vs->pml4_phys);
}

/* A PROT_NONE page keeps its frame but loses the user bit: any user access
 * faults (SIGSEGV) and mprotect can give the page back unchanged. */
static uint64_t pte_flags(unsigned prot)
{
    uint64_t f = X86_PTE_PRESENT;

    if (prot & (VM_READ | VM_WRITE | VM_EXEC))
        f |= X86_PTE_USER;

    if (prot & VM_WRITE)
        f |= X86_PTE_WRITE;
    if (!(prot & VM_EXEC))
        f |= kmap_nx();
    if (prot & VM_PHYS)
        f |= X86_PTE_PCD | X86_PTE_PWT;   /* device memory: uncached (SDM vol. 3A §12.12.3) */
    return f;
}

/* User page tables come out of the user share of memory, as user pages do. */
static uint64_t user_table_alloc(void)
{
    return pmm_alloc_user_zero();
}

static void flush(struct vm_space *vs, uintptr_t va)
{
    if (vs == vm_active)
        x86_invlpg(va);
}

struct vm_space *vm_space_create(void)
{
    struct vm_space *vs = kzalloc(sizeof(*vs));
    uint64_t *pml4;

    if (!vs)
        return NULL;
    vs->pml4_phys = pmm_alloc_user_zero();
    if (!vs->pml4_phys) {
        kfree(vs);
        return NULL;
    }
    pml4 = space_pml4(vs);
    for (int i = X86_PML4_KERNEL_FIRST; i < X86_PT_ENTRIES; i++)
        pml4[i] = kmap_pml4()[i];
    vs->refs = 1;
    return vs;
}

/* Where the walk resumes after an absent entry covering va at level l. */
static uintptr_t next_boundary(uintptr_t va, int level)
{
    uintptr_t size = (uintptr_t)1 << LEVEL_SHIFT(level);

    return (va + size) & ~(size - 1);
}

/* The page table for va, or NULL with *skip_to set past the hole. */
static uint64_t *find_pt(struct vm_space *vs, uintptr_t va, uintptr_t *skip_to)
{
    uint64_t *table = space_pml4(vs);

    for (int l = 4; l > 1; l--) {
        uint64_t e = table[(va >> LEVEL_SHIFT(l)) & 511];
        if (!(e & X86_PTE_PRESENT)) {
            *skip_to = next_boundary(va, l);
            return NULL;
        }
        table = x86_phys_to_virt(e & X86_PTE_ADDR_MASK);
    }
    return table;
}

/* Call fn on every present 4 KiB user PTE in [start, end); absent upper
 * levels are skipped whole, so huge sparse areas cost little. */
static void walk_ptes(struct vm_space *vs, uintptr_t start, uintptr_t end,
                      void (*fn)(struct vm_space *, uintptr_t, uint64_t *, void *), void *ctx)
{
    uintptr_t va = start;

    while (va < end) {
        uintptr_t skip = 0;
        uint64_t *pt = find_pt(vs, va, &skip);
        if (!pt) {
            va = skip;
            continue;
        }
        uintptr_t pt_end = next_boundary(va, 2);
        for (; va < end && va < pt_end; va += VM_PAGE_SIZE) {
            uint64_t *pte = &pt[(va >> 12) & 511];
            if (*pte & X86_PTE_PRESENT)
                fn(vs, va, pte, ctx);
        }
    }
}

/* ctx: the area (a VM_PHYS area's frames are not counted). */
static void drop_page(struct vm_space *vs, uintptr_t va, uint64_t *pte, void *ctx)
{
    const struct vm_area *a = ctx;

    if (!(a->prot & VM_PHYS))
        pmm_unref(*pte & X86_PTE_ADDR_MASK);
    *pte = 0;
    flush(vs, va);
}

static void free_tables(uint64_t *table, int level)
{
    int last = level == 4 ? X86_PML4_KERNEL_FIRST : X86_PT_ENTRIES;

    for (int i = 0; i < last; i++) {
        if (!(table[i] & X86_PTE_PRESENT))
            continue;
        if (level > 2)
            free_tables(x86_phys_to_virt(table[i] & X86_PTE_ADDR_MASK), level - 1);
        pmm_unref(table[i] & X86_PTE_ADDR_MASK);
    }
}

void vm_space_get(struct vm_space *vs)
{
    vs->refs++;
}

void vm_space_put(struct vm_space *vs)
{
    if (!vs || --vs->refs > 0)
        return;
    if (vs == vm_active)
        vm_activate(NULL);
    while (vs->areas) {
        struct vm_area *a = vs->areas;
        walk_ptes(vs, a->start, a->end, drop_page, a);
        vs->areas = a->next;
        kfree(a);
    }
    free_tables(space_pml4(vs), 4);
    pmm_unref(vs->pml4_phys);
    kfree(vs);
}

void vm_activate(struct vm_space *vs)
{
    uint64_t cr3 = vs ? vs->pml4_phys : kmap_pml4_phys();

    vm_active = vs;
    if ((x86_read_cr3() & X86_PTE_ADDR_MASK) != cr3)
        x86_write_cr3(cr3);
}

struct vm_space *vm_current(void)
{
    return vm_active;
}

/* Split the area containing addr (strictly inside) in two. */
static int split_at(struct vm_space *vs, uintptr_t addr)
{
    for (struct vm_area *a = vs->areas; a; a = a->next) {
        if (addr <= a->start || addr >= a->end)
            continue;
        struct vm_area *b = kmalloc(sizeof(*b));
        if (!b)
            return -ENOMEM;
        *b = (struct vm_area){addr, a->end, a->prot, a->next};
        a->end = addr;
        a->next = b;
        return 0;
    }
    return 0;
}

static bool range_ok(uintptr_t start, size_t len)
{
    return (start & (VM_PAGE_SIZE - 1)) == 0 && len > 0 && start >= VM_USER_BASE &&
           start < VM_USER_END && len <= VM_USER_END - start;
}

static size_t page_round(size_t len)
{
    return (len + VM_PAGE_SIZE - 1) & ~(size_t)(VM_PAGE_SIZE - 1);
}

static bool table_empty(const uint64_t *t)
{
    for (int i = 0; i < X86_PT_ENTRIES; i++)
        if (t[i])
            return false;
    return true;
}

/* Free the page tables below table (a level-l table mapping from base)
 * that cover part of [start, end) and hold nothing any more, so mapping
 * and unmapping far apart does not grow the kernel's memory. Returns how
 * many were freed. */
static int prune_tables(uint64_t *table, int level, uintptr_t base, uintptr_t start,
                        uintptr_t end)
{
    uintptr_t span = (uintptr_t)1 << LEVEL_SHIFT(level);
    int count = level == 4 ? X86_PML4_KERNEL_FIRST : X86_PT_ENTRIES, freed = 0;
    int first = start > base ? (int)((start - base) >> LEVEL_SHIFT(level)) : 0;

    for (int i = first; i < count; i++) {
        uintptr_t lo = base + (uintptr_t)i * span;
        uint64_t *child;

        if (lo >= end)
            break;
        if (!(table[i] & X86_PTE_PRESENT))
            continue;
        child = x86_phys_to_virt(table[i] & X86_PTE_ADDR_MASK);
        if (level > 2)
            freed += prune_tables(child, level - 1, lo, start, end);
        if (table_empty(child)) {
            pmm_unref(table[i] & X86_PTE_ADDR_MASK);
            table[i] = 0;
            freed++;
        }
    }
    return freed;
}

int vm_unmap(struct vm_space *vs, uintptr_t start, size_t len)
{
    struct vm_area **pp = &vs->areas;
    uintptr_t end;

    len = page_round(len);
    if (!range_ok(start, len))
        return -EINVAL;
    end = start + len;
    if (split_at(vs, start) < 0 || split_at(vs, end) < 0)
        return -ENOMEM;
    while (*pp) {
        struct vm_area *a = *pp;
        if (a->start >= start && a->end <= end) {
            walk_ptes(vs, a->start, a->end, drop_page, a);
            *pp = a->next;
            kfree(a);
            continue;
        }
        pp = &a->next;
    }
    /* invlpg also empties the paging-structure caches (SDM vol. 3A §4.10.4.1). */
    if (prune_tables(space_pml4(vs), 4, 0, start, end) > 0)
        flush(vs, start);
    return 0;
}

int vm_map(struct vm_space *vs, uintptr_t start, size_t len, unsigned prot)
{
    struct vm_area *n, **pp;
    int err;

    len = page_round(len);
    if (!range_ok(start, len))
        return -EINVAL;
    n = kmalloc(sizeof(*n));
    if (!n)
        return -ENOMEM;
    err = vm_unmap(vs, start, len);
    if (err) {
        kfree(n);
        return err;
    }
    *n = (struct vm_area){start, start + len,
                          prot & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED | VM_PHYS),
                          NULL};
    for (pp = &vs->areas; *pp && (*pp)->start < start; pp = &(*pp)->next)
        ;
    n->next = *pp;
    *pp = n;
    return 0;
}

int vm_map_phys(struct vm_space *vs, uintptr_t start, size_t len, unsigned prot, uint64_t phys)
{
    int err;

    len = page_round(len);
    if ((phys & (VM_PAGE_SIZE - 1)) || phys + len < phys || (phys + len - 1) > X86_PTE_ADDR_MASK)
        return -EINVAL;
    prot = (prot & (VM_READ | VM_WRITE | VM_EXEC)) | VM_PHYS;
    if ((err = vm_map(vs, start, len, prot)) < 0)
        return err;
    for (size_t off = 0; off < len; off += VM_PAGE_SIZE) {
        uint64_t *pte = x86_pt_entry(space_pml4(vs), start + off, 1, user_table_alloc, USER_TABLE_FLAGS);
        if (!pte) {
            vm_unmap(vs, start, len);
            return -ENOMEM;
        }
        *pte = (phys + off) | pte_flags(prot);
        flush(vs, start + off);
    }
    return 0;
}

int vm_map_frames(struct vm_space *vs, uintptr_t start, size_t len, unsigned prot,
                  const uint64_t *frames)
{
    int err;

    prot = (prot & (VM_READ | VM_WRITE | VM_EXEC)) | VM_SHARED;
    if ((err = vm_map(vs, start, len, prot)) < 0)
        return err;
    for (size_t i = 0; i < page_round(len) / VM_PAGE_SIZE; i++) {
        uintptr_t va = start + i * VM_PAGE_SIZE;
        uint64_t *pte;
        if (!frames[i])
            continue;
        pte = x86_pt_entry(space_pml4(vs), va, 1, user_table_alloc, USER_TABLE_FLAGS);
        if (!pte) {
            vm_unmap(vs, start, len);
            return -ENOMEM;
        }
        if (pmm_ref(frames[i]) < 0) {
            vm_unmap(vs, start, len);
            return -ENOMEM;
        }
        *pte = frames[i] | pte_flags(prot);
        flush(vs, va);
    }
    return 0;
}

bool vm_range_free(struct vm_space *vs, uintptr_t start, size_t len)
{
    for (struct vm_area *a = vs->areas; a; a = a->next)
        if (a->start < start + len && a->end > start)
            return false;
    return true;
}

bool vm_range_mapped(struct vm_space *vs, uintptr_t start, size_t len)
{
    uintptr_t at = start, end = start + len;

    for (struct vm_area *a = vs->areas; a && at < end; a = a->next) {
        if (a->end <= at)
            continue;
        if (a->start > at)
            return false;
        at = a->end;
    }
    return at >= end;
}

static void reprotect(struct vm_space *vs, uintptr_t va, uint64_t *pte, void *ctx)
{
    unsigned prot = *(unsigned *)ctx;
    uint64_t phys = *pte & X86_PTE_ADDR_MASK, f = pte_flags(prot);

    /* A copy-on-write page stays read-only: the write fault will copy it.
     * Only the write bit goes: a PROT_WRITE page must stay readable. */
    if (!(prot & VM_PHYS) && pmm_refcount(phys) > 1 && !(prot & VM_SHARED))
        f &= ~X86_PTE_WRITE;
    *pte = phys | f;
    flush(vs, va);
}

int vm_protect(struct vm_space *vs, uintptr_t start, size_t len, unsigned prot)
{
    uintptr_t end;

    len = page_round(len);
    if (!range_ok(start, len))
        return -EINVAL;
    end = start + len;
    if (!vm_range_mapped(vs, start, len))
        return -ENOMEM;
    if (split_at(vs, start) < 0 || split_at(vs, end) < 0)
        return -ENOMEM;
    prot &= VM_READ | VM_WRITE | VM_EXEC;
    for (struct vm_area *a = vs->areas; a; a = a->next) {
        if (a->start < start || a->end > end)
            continue;
        a->prot = prot | (a->prot & (VM_SHARED | VM_PHYS));
        walk_ptes(vs, a->start, a->end, reprotect, &a->prot);
    }
    return 0;
}

/* The highest gap that fits, in one pass over the sorted areas (a search
 * that restarts at each overlap is quadratic in the number of areas). */
uintptr_t vm_find_free(struct vm_space *vs, size_t len)
{
    uintptr_t gap_start = VM_USER_BASE, best = 0;

    len = page_round(len);
    if (len == 0 || len > VM_MMAP_TOP - VM_USER_BASE)
        return 0;
    for (struct vm_area *a = vs->areas;; a = a->next) {
        uintptr_t gap_end = a && a->start < VM_MMAP_TOP ? a->start : VM_MMAP_TOP;
        if (gap_end > gap_start && gap_end - gap_start >= len)
            best = gap_end - len;
        if (!a || a->start >= VM_MMAP_TOP)
            break;
        if (a->end > gap_start)
            gap_start = a->end;
    }
    return best;
}

static struct vm_area *find_area(struct vm_space *vs, uintptr_t addr)
{
    for (struct vm_area *a = vs->areas; a; a = a->next)
        if (addr >= a->start && addr < a->end)
            return a;
    return NULL;
}

bool vm_addr_shared(struct vm_space *vs, uintptr_t addr)
{
    struct vm_area *a = vs ? find_area(vs, addr) : NULL;

    return a && (a->prot & (VM_SHARED | VM_PHYS));
}

static int break_cow(struct vm_space *vs, uintptr_t va, uint64_t *pte, unsigned prot)
{
    uint64_t old = *pte & X86_PTE_ADDR_MASK;
    uint64_t copy;

    if (pmm_refcount(old) == 1 || (prot & VM_SHARED)) {
        *pte = old | pte_flags(prot);
        flush(vs, va);
        return 0;
    }
    copy = pmm_alloc_user();
    if (!copy)
        return -ENOMEM;
    memcpy(x86_phys_to_virt(copy), x86_phys_to_virt(old), VM_PAGE_SIZE);
    *pte = copy | pte_flags(prot);
    pmm_unref(old);
    flush(vs, va);
    return 0;
}

/* A write fault in private anonymous memory usually starts a sequential
 * fill (memcpy into a fresh buffer, a growing heap): the next pages of the
 * area, up to the end of the same page table, get their zero pages now, so
 * a 64 KiB fill costs one fault instead of sixteen (each a slow trap under
 * emulation). Only while frames are plentiful; never past the area. */
#define FAULT_AROUND_PAGES 15

static void fault_ahead(struct vm_space *vs, const struct vm_area *a, uintptr_t va, uint64_t *pte)
{
    size_t left = (X86_LARGE_PAGE_SIZE - (va & (X86_LARGE_PAGE_SIZE - 1))) / VM_PAGE_SIZE - 1;

    (void)vs;
    if (a->prot & (VM_SHARED | VM_PHYS) || pmm_free_count() < pmm_total_count() / 8)
        return;
    for (size_t i = 1; i <= FAULT_AROUND_PAGES && i <= left; i++) {
        uint64_t page;
        if (va + i * VM_PAGE_SIZE >= a->end || (pte[i] & X86_PTE_PRESENT))
            return;
        if (!(page = pmm_alloc_user_zero()))
            return;
        pte[i] = page | pte_flags(a->prot);
    }
}

int vm_fault(struct vm_space *vs, uintptr_t addr, bool write, bool exec)
{
    struct vm_area *a = find_area(vs, addr);
    uintptr_t va = addr & ~(uintptr_t)(VM_PAGE_SIZE - 1);
    uint64_t *pte, page;

    if (!a || (write && !(a->prot & VM_WRITE)) || (exec && !(a->prot & VM_EXEC)) ||
        !(a->prot & (VM_READ | VM_WRITE | VM_EXEC)))
        return -EFAULT;
    if (a->prot & VM_PHYS)
        return -EFAULT;   /* always present: a fault is a violation, never a copy */
    pte = x86_pt_entry(space_pml4(vs), va, 1, user_table_alloc, USER_TABLE_FLAGS);
    if (!pte)
        return -ENOMEM;
    if (*pte & X86_PTE_PRESENT) {
        if (write && !(*pte & X86_PTE_WRITE))
            return break_cow(vs, va, pte, a->prot);
        return 0;   /* already resolved (a stale TLB entry, or a race with ourselves) */
    }
    page = pmm_alloc_user_zero();
    if (!page)
        return -ENOMEM;
    *pte = page | pte_flags(a->prot);
    if (write)
        fault_ahead(vs, a, va, pte);
    return 0;
}

int vm_populate(struct vm_space *vs, uintptr_t start, size_t len)
{
    for (uintptr_t va = start; va < start + len; va += VM_PAGE_SIZE) {
        struct vm_area *a = find_area(vs, va);
        uint64_t *pte = x86_pt_entry(space_pml4(vs), va, 1, user_table_alloc, USER_TABLE_FLAGS);
        uint64_t page;

        if (!a || !pte)
            return -ENOMEM;
        if (*pte & X86_PTE_PRESENT)
            continue;
        if (!(page = pmm_alloc_user_zero()))
            return -ENOMEM;
        *pte = page | pte_flags(a->prot);
    }
    return 0;
}

void *vm_user_byte(struct vm_space *vs, uintptr_t addr, bool write)
{
    uint64_t *pte;

    struct vm_area *area = vs ? find_area(vs, addr) : NULL;

    if (!vs || addr < VM_USER_BASE || addr >= VM_USER_END || (area && (area->prot & VM_PHYS)))
        return NULL;   /* device memory may lie outside the kernel's direct map */
    pte = x86_pt_entry(space_pml4(vs), addr, 1, NULL, 0);
    if (!pte || !(*pte & X86_PTE_PRESENT) || (write && !(*pte & X86_PTE_WRITE))) {
        if (vm_fault(vs, addr, write, false) < 0)
            return NULL;
        pte = x86_pt_entry(space_pml4(vs), addr, 1, NULL, 0);
    }
    /* A present page in an area the caller may not read (PROT_NONE). */
    struct vm_area *a = find_area(vs, addr);
    if (!a || !(a->prot & (write ? VM_WRITE : VM_READ)))
        return NULL;
    return (char *)x86_phys_to_virt(*pte & X86_PTE_ADDR_MASK) + (addr & (VM_PAGE_SIZE - 1));
}

struct fork_ctx {
    struct vm_space *child;
    bool shared;     /* the area is MAP_SHARED: both keep write access */
    bool phys;       /* the area is VM_PHYS: shared, frames not counted */
    bool failed;
};

/* Fork: share a page in both spaces, read-only (copy-on-write) unless the
 * area is shared. */
static void share_page(struct vm_space *parent, uintptr_t va, uint64_t *pte, void *ctx)
{
    struct fork_ctx *fc = ctx;
    uint64_t *cpte;

    if (fc->failed)
        return;
    cpte = x86_pt_entry(space_pml4(fc->child), va, 1, user_table_alloc, USER_TABLE_FLAGS);
    if (!cpte) {
        fc->failed = true;
        return;
    }
    if (!fc->phys && pmm_ref(*pte & X86_PTE_ADDR_MASK) < 0) {
        fc->failed = true;   /* the frame has all the sharers it can count: ENOMEM */
        return;
    }
    if (!fc->shared) {
        *pte &= ~X86_PTE_WRITE;
        flush(parent, va);
    }
    *cpte = *pte;
}

static int copy_areas(struct vm_space *from, struct vm_space *to)
{
    struct vm_area **tail = &to->areas;

    for (struct vm_area *a = from->areas; a; a = a->next) {
        struct vm_area *n = kmalloc(sizeof(*n));
        if (!n)
            return -ENOMEM;
        *n = *a;
        n->next = NULL;
        *tail = n;
        tail = &n->next;
    }
    return 0;
}

struct vm_space *vm_space_fork(struct vm_space *vs)
{
    struct vm_space *child = vm_space_create();
    struct fork_ctx fc = {child, false, false, false};

    if (!child)
        return NULL;
    if (copy_areas(vs, child) < 0) {
        vm_space_put(child);
        return NULL;
    }
    for (struct vm_area *a = vs->areas; a && !fc.failed; a = a->next) {
        fc.shared = a->prot & (VM_SHARED | VM_PHYS);
        fc.phys = a->prot & VM_PHYS;
        walk_ptes(vs, a->start, a->end, share_page, &fc);
    }
    if (fc.failed) {
        vm_space_put(child);
        return NULL;
    }
    child->brk_base = vs->brk_base;
    child->brk = vs->brk;
    return child;
}
