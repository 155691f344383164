/* kernel/mm/vm_resident.c: counting present pages by walking the page
 * tables of each area; a missing page table skips its whole 2 MiB. */
#include "arch/x86_64/paging.h"
#include "mm/vm_resident.h"

#define PT_SPAN (VM_PAGE_SIZE * X86_PT_ENTRIES)   /* what one page table maps: 2 MiB */

static size_t area_resident(uint64_t *pml4, const struct vm_area *a)
{
    size_t pages = 0;
    uintptr_t va = a->start;

    while (va < a->end) {
        uint64_t *pte = x86_pt_entry(pml4, va, 1, NULL, 0);
        if (!pte) {
            va = (va + PT_SPAN) & ~(uintptr_t)(PT_SPAN - 1);
            continue;
        }
        if (*pte & X86_PTE_PRESENT)
            pages++;
        va += VM_PAGE_SIZE;
    }
    return pages;
}

size_t vm_resident_pages(struct vm_space *vs)
{
    uint64_t *pml4;
    size_t pages = 0;

    if (!vs)
        return 0;
    pml4 = x86_phys_to_virt(vs->pml4_phys);
    for (const struct vm_area *a = vs->areas; a; a = a->next)
        if (!(a->prot & VM_PHYS))
            pages += area_resident(pml4, a);
    return pages;
}
