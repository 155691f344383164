/* kernel/scheme/memory.c: the memory: scheme, physical memory for user-mode
 * drivers. open("memory:0xSTART-0xEND") (or START?size=N, START/N) with a
 * memory grant covering the range gives an fd that mmap maps: offset 0 is
 * START, which must be page aligned; the pages are uncached and shared with
 * fork children; munmap removes them. The grant is checked again at mmap.
 * Only device memory: a range touching usable RAM in the boot memory map
 * (frames the kernel hands out) is EPERM even with a grant. The framebuffer
 * grant covers exactly the boot framebuffer (its address is only known at
 * boot, so config.toml cannot name it). */
#include <anvil/syscall.h>

#include "boot/boot_info.h"
#include "console/console.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "scheme/grantcheck.h"
#include "scheme/kschemes.h"

/* The range an fd was opened for. */
struct memory_range {
    uint64_t start, end;   /* inclusive */
};

/* A memory grant covering [start, end], or the framebuffer grant and the
 * range inside the boot framebuffer: 0 or -EACCES. */
static int may_map(uint64_t start, uint64_t end)
{
    const struct boot_framebuffer *fb = con_framebuffer();
    uint64_t fb_end;

    if (grant_check(ANVIL_GRANT_MEMORY, start, end) == 0)
        return 0;
    if (!fb || grant_check(ANVIL_GRANT_FRAMEBUFFER, 0, 0) < 0)
        return -EACCES;
    fb_end = fb->phys + (uint64_t)fb->pitch * fb->height - 1;
    return start >= fb->phys && end <= fb_end ? 0 : -EACCES;
}

static long memory_mmap(struct file *f, uintptr_t addr, size_t len, unsigned prot, uint64_t off,
                        bool shared)
{
    const struct memory_range *r = f->priv;
    uint64_t size = r->end - r->start + 1, phys = r->start + off;
    int err;

    (void)shared;   /* device memory is never copied: private and shared alike */
    if (off >= size || len > size - off)
        return -ENXIO;   /* as Linux's /dev/mem past the end */
    if ((err = may_map(phys, phys + len - 1)) < 0)
        return err;
    return vm_map_phys(proc_current()->vm, addr, len, prot, phys);
}

static int memory_stat(struct file *f, struct kstat *st)
{
    const struct memory_range *r = f->priv;

    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0600;
    st->st_nlink = 1;
    st->st_size = (int64_t)(r->end - r->start + 1);
    return 0;
}

static void memory_release(struct file *f)
{
    kfree(f->priv);
}

static const struct file_ops memory_file_ops = {
    .mmap = memory_mmap, .stat = memory_stat, .release = memory_release,
};

static int memory_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                       struct file **out)
{
    struct memory_range *r;
    uint64_t start, end;
    int err;

    (void)s, (void)mode;
    if ((err = grant_parse_range(path, &start, &end)) < 0)
        return err;
    if ((err = may_map(start, end)) < 0)
        return err;
    if (boot_mem_overlaps_usable(start, end))
        return -EPERM;   /* RAM is the kernel's, whatever the grant says */
    if (start & (VM_PAGE_SIZE - 1))
        return -EINVAL;
    if (!(r = kmalloc(sizeof(*r))))
        return -ENOMEM;
    r->start = start;
    r->end = end;
    if (!(*out = file_new(&memory_file_ops, flags & O_ACCMODE, r))) {
        kfree(r);
        return -ENOMEM;
    }
    return 0;
}

static const struct scheme_ops memory_ops = {.open = memory_open};
static struct scheme memory_scheme = {.name = "memory", .ops = &memory_ops};

void kscheme_memory_init(void)
{
    scheme_register(&memory_scheme);
}
