/* kernel/mm/kmap.c: builds the kernel half of every address space: the
 * direct map (2 MiB pages, no-execute, global) over max(4 GiB, RAM), and
 * the kernel image with 4 KiB pages and per-section rights. The boot
 * identity map is dropped: the lower half belongs to user processes. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "mm/kmap.h"
#include "mm/pmm.h"

#define KERNEL_TABLE_FLAGS X86_PTE_WRITE

/* From kernel.ld. */
extern char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];

/* Written at boot, read-only after. */
static uint64_t kernel_pml4_phys;

uint64_t kmap_nx(void)
{
    return x86_cpu_has_nx() ? X86_PTE_NX : 0;
}

uint64_t kmap_table_alloc(void)
{
    return pmm_alloc_zero();
}

static uint64_t *pml4_virt(void)
{
    return x86_phys_to_virt(kernel_pml4_phys);
}

static void map_direct(uint64_t end)
{
    uint64_t flags = X86_PTE_PRESENT | X86_PTE_WRITE | X86_PTE_LARGE | X86_PTE_GLOBAL | kmap_nx();

    for (uint64_t p = 0; p < end; p += X86_LARGE_PAGE_SIZE) {
        uint64_t *pd = x86_pt_entry(pml4_virt(), X86_DIRECT_MAP_BASE + p, 2, kmap_table_alloc,
                                    KERNEL_TABLE_FLAGS);
        if (!pd)
            panic("kmap: out of memory building the direct map");
        *pd = p | flags;
    }
}

static uint64_t image_flags(const char *va)
{
    uint64_t f = X86_PTE_PRESENT | X86_PTE_GLOBAL;

    if (va < __text_end)
        return f;
    if (va < __rodata_end)
        return f | kmap_nx();
    return f | X86_PTE_WRITE | kmap_nx();
}

static void map_image(void)
{
    for (char *va = __kernel_start; va < __kernel_end; va += X86_PAGE_SIZE) {
        uint64_t *pte = x86_pt_entry(pml4_virt(), (uint64_t)va, 1, kmap_table_alloc,
                                     KERNEL_TABLE_FLAGS);
        if (!pte)
            panic("kmap: out of memory mapping the kernel");
        *pte = x86_kernel_virt_to_phys(va) | image_flags(va);
    }
}

/* Every kernel PML4 entry exists up front, so address spaces that copy the
 * kernel half see later kernel mappings too. */
static void fill_kernel_half(void)
{
    uint64_t *pml4 = pml4_virt();

    for (int i = X86_PML4_KERNEL_FIRST; i < X86_PT_ENTRIES; i++) {
        if (pml4[i] & X86_PTE_PRESENT)
            continue;
        uint64_t t = kmap_table_alloc();
        if (!t)
            panic("kmap: out of memory for the kernel half");
        pml4[i] = t | X86_PTE_PRESENT | KERNEL_TABLE_FLAGS;
    }
}

void kmap_init(const struct boot_info *bi)
{
    uint64_t end = pmm_memory_end();

    if (end < X86_BOOT_MAP_SIZE)
        end = X86_BOOT_MAP_SIZE;
    end = (end + X86_LARGE_PAGE_SIZE - 1) & ~(uint64_t)(X86_LARGE_PAGE_SIZE - 1);
    kernel_pml4_phys = kmap_table_alloc();
    if (!kernel_pml4_phys)
        panic("kmap: no memory for the kernel page tables");
    map_direct(end);
    map_image();
    fill_kernel_half();
    x86_write_cr3(kernel_pml4_phys);
    x86_direct_map_set_allocator(kmap_table_alloc, end);
    if (bi->fb.usable && !x86_direct_map_covers(bi->fb.phys, (uint64_t)bi->fb.pitch * bi->fb.height))
        x86_direct_map_extend(bi->fb.phys, (uint64_t)bi->fb.pitch * bi->fb.height);
}

uint64_t kmap_pml4_phys(void)
{
    return kernel_pml4_phys;
}

const uint64_t *kmap_pml4(void)
{
    return pml4_virt();
}
