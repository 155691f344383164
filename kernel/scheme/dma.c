/* kernel/scheme/dma.c: the dma: scheme, memory a user-mode driver can hand
 * to a device. open("dma:SIZE") with the dma grant allocates SIZE bytes
 * (rounded up to pages) of zeroed, physically contiguous RAM; read() gives
 * its physical address (8 bytes); mmap maps those very frames (shared, never
 * copied, cached: x86 DMA is coherent). The frames are reference counted, so
 * they live while the fd or any mapping does and go back at exit; a driver
 * names only memory the kernel gave it, never RAM it chose. */
#include <anvil/syscall.h>

#include "arch/x86_64/paging.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "scheme/grantcheck.h"
#include "scheme/kschemes.h"

#define DMA_BUFFER_MAX (4ul << 20)   /* one buffer: a queue or a 128 KiB transfer fit easily */
#define DMA_RAM_SHARE 8              /* all buffers together: at most 1/8 of the frames */

/* One buffer: n frames from phys on, one reference held by the fd. */
struct dma_buffer {
    uint64_t phys;
    size_t pages;
};

/* Frames held by open dma: fds now (single CPU, syscalls run with interrupts off). */
static size_t dma_pages_open;

static long dma_read(struct file *f, uintptr_t ubuf, size_t len)
{
    const struct dma_buffer *b = f->priv;

    if (len < sizeof(b->phys))
        return -EINVAL;
    if (copy_to_user(ubuf, &b->phys, sizeof(b->phys)) < 0)
        return -EFAULT;
    return sizeof(b->phys);
}

static long dma_mmap(struct file *f, uintptr_t addr, size_t len, unsigned prot, uint64_t off,
                     bool shared)
{
    const struct dma_buffer *b = f->priv;
    size_t pages = len / VM_PAGE_SIZE, first = (size_t)(off / VM_PAGE_SIZE);
    uint64_t *list;
    long err;

    (void)shared;   /* the device sees these frames: a private copy would be useless */
    if (off >= b->pages * VM_PAGE_SIZE || pages > b->pages - first)
        return -ENXIO;
    if (!(list = kmalloc(pages * sizeof(*list))))
        return -ENOMEM;
    for (size_t i = 0; i < pages; i++)
        list[i] = b->phys + (first + i) * VM_PAGE_SIZE;
    err = vm_map_frames(proc_current()->vm, addr, len, prot, list);
    kfree(list);
    return err;
}

static int dma_stat(struct file *f, struct kstat *st)
{
    const struct dma_buffer *b = f->priv;

    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFCHR | 0600;
    st->st_nlink = 1;
    st->st_size = (int64_t)(b->pages * VM_PAGE_SIZE);
    return 0;
}

static void buffer_free(struct dma_buffer *b)
{
    for (size_t i = 0; i < b->pages; i++)
        pmm_unref(b->phys + i * VM_PAGE_SIZE);   /* mappings keep their own references */
    dma_pages_open -= b->pages;
    kfree(b);
}

static void dma_release(struct file *f)
{
    buffer_free(f->priv);
}

static const struct file_ops dma_file_ops = {
    .read = dma_read, .mmap = dma_mmap, .stat = dma_stat, .release = dma_release,
};

/* "SIZE" (decimal or 0x hex) into a page count: 0 or -EINVAL. */
static int parse_size(const char *path, size_t *pages)
{
    const char *p = path;
    uint64_t size;

    if (!caps_parse_number(&p, &size) || *p || size == 0 || size > DMA_BUFFER_MAX)
        return -EINVAL;
    *pages = (size_t)((size + VM_PAGE_SIZE - 1) / VM_PAGE_SIZE);
    return 0;
}

/* n zeroed contiguous frames within the budget and above the reserve: the first, or 0. */
static uint64_t frames_take(size_t n)
{
    uint64_t phys;

    if (dma_pages_open + n > pmm_total_count() / DMA_RAM_SHARE ||
        pmm_free_count() < pmm_reserve_count() + n)
        return 0;
    if (!(phys = pmm_alloc_pages(n)))
        return 0;
    memset(x86_phys_to_virt(phys), 0, n * VM_PAGE_SIZE);
    dma_pages_open += n;
    return phys;
}

static int dma_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                    struct file **out)
{
    struct dma_buffer *b;
    size_t pages;
    int err;

    (void)s, (void)mode;
    if ((err = grant_check(ANVIL_GRANT_DMA, 0, 0)) < 0)
        return err;
    if ((err = parse_size(path, &pages)) < 0)
        return err;
    if (!(b = kmalloc(sizeof(*b))))
        return -ENOMEM;
    b->pages = pages;
    if (!(b->phys = frames_take(pages))) {
        kfree(b);
        return -ENOMEM;
    }
    if (!(*out = file_new(&dma_file_ops, flags & O_ACCMODE, b))) {
        buffer_free(b);
        return -ENOMEM;
    }
    return 0;
}

static const struct scheme_ops dma_ops = {.open = dma_open};
static struct scheme dma_scheme = {.name = "dma", .ops = &dma_ops};

void kscheme_dma_init(void)
{
    scheme_register(&dma_scheme);
}
