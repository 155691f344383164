/* kernel/proc/elf.c: the ELF64 loader (System V gABI, "Program Loading";
 * x86_64 psABI §5). Every PT_LOAD is copied into fresh pages; the
 * space's area rights come from p_flags. Dynamic executables that need an
 * interpreter are refused. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/vm.h"
#include "proc/elf.h"
#include "proc/vm_copy.h"

#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define PIE_BASE 0x400000ul
#define MAX_PHNUM 64

struct elf64_ehdr {
    uint8_t ident[EI_NIDENT];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr is 56 bytes");

static uintptr_t page_down(uintptr_t v)
{
    return v & ~(uintptr_t)(VM_PAGE_SIZE - 1);
}

static uintptr_t page_up(uintptr_t v)
{
    return (v + VM_PAGE_SIZE - 1) & ~(uintptr_t)(VM_PAGE_SIZE - 1);
}

static int check_header(const struct elf64_ehdr *h, size_t size)
{
    if (size < sizeof(*h) || memcmp(h->ident, "\177ELF", 4) != 0 ||
        h->ident[4] != ELFCLASS64 || h->ident[5] != ELFDATA2LSB ||
        (h->type != ET_EXEC && h->type != ET_DYN) || h->machine != EM_X86_64 ||
        h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 || h->phnum > MAX_PHNUM ||
        h->phoff > size || (size_t)h->phnum * sizeof(struct elf64_phdr) > size - h->phoff)
        return -ENOEXEC;
    return 0;
}

static int check_segments(const struct elf64_phdr *ph, size_t n, size_t size, uintptr_t bias,
                          uintptr_t *lo, uintptr_t *hi)
{
    *lo = UINTPTR_MAX;
    *hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (ph[i].type == PT_INTERP)
            return -ENOEXEC;
        if (ph[i].type != PT_LOAD)
            continue;
        if (ph[i].filesz > ph[i].memsz || ph[i].offset > size ||
            ph[i].filesz > size - ph[i].offset || ph[i].memsz > VM_USER_END ||
            ph[i].vaddr + bias < VM_USER_BASE || ph[i].vaddr + bias > VM_USER_END - ph[i].memsz)
            return -ENOEXEC;
        if (page_down(ph[i].vaddr + bias) < *lo)
            *lo = page_down(ph[i].vaddr + bias);
        if (page_up(ph[i].vaddr + bias + ph[i].memsz) > *hi)
            *hi = page_up(ph[i].vaddr + bias + ph[i].memsz);
    }
    return *hi > *lo ? 0 : -ENOEXEC;
}

static unsigned prot_of(uint32_t flags)
{
    return (flags & PF_R ? VM_READ : 0) | (flags & PF_W ? VM_WRITE : 0) |
           (flags & PF_X ? VM_EXEC : 0);
}

/* Final rights per segment; a page two segments share gets both rights. */
static int protect_segments(struct vm_space *vs, const struct elf64_phdr *ph, size_t n,
                            uintptr_t bias)
{
    uintptr_t prev_end = 0;
    unsigned prev_prot = 0;

    for (size_t i = 0; i < n; i++) {
        if (ph[i].type != PT_LOAD)
            continue;
        uintptr_t s = page_down(ph[i].vaddr + bias), e = page_up(ph[i].vaddr + bias + ph[i].memsz);
        unsigned prot = prot_of(ph[i].flags);
        int err = vm_protect(vs, s, e - s, prot);
        if (!err && prev_end > s)
            err = vm_protect(vs, s, VM_PAGE_SIZE, prot | prev_prot);
        if (err)
            return err;
        prev_end = e;
        prev_prot = prot;
    }
    return 0;
}

int elf_load(struct vm_space *vs, const uint8_t *data, size_t size, struct elf_image *img)
{
    const struct elf64_ehdr *h = (const void *)data;
    const struct elf64_phdr *ph;
    uintptr_t lo, hi, bias = 0;
    int err;

    if ((err = check_header(h, size)) < 0)
        return err;
    ph = (const void *)(data + h->phoff);
    if (h->type == ET_DYN)
        bias = PIE_BASE;
    if ((err = check_segments(ph, h->phnum, size, bias, &lo, &hi)) < 0)
        return err;
    if ((err = vm_map(vs, lo, hi - lo, VM_READ | VM_WRITE)) < 0)
        return err;
    img->phdr = 0;
    for (size_t i = 0; i < h->phnum; i++) {
        if (ph[i].type == PT_PHDR)
            img->phdr = ph[i].vaddr + bias;
        if (ph[i].type == PT_LOAD && ph[i].offset <= h->phoff &&
            h->phoff + h->phnum * sizeof(*ph) <= ph[i].offset + ph[i].filesz && !img->phdr)
            img->phdr = ph[i].vaddr + bias + (h->phoff - ph[i].offset);
        if (ph[i].type != PT_LOAD || ph[i].filesz == 0)
            continue;
        if ((err = vm_copy_out(vs, ph[i].vaddr + bias, data + ph[i].offset, ph[i].filesz)) < 0)
            return err;
    }
    img->entry = h->entry + bias;
    img->phnum = h->phnum;
    img->phent = h->phentsize;
    img->base = bias;
    img->end = hi;
    return protect_segments(vs, ph, h->phnum, bias);
}
