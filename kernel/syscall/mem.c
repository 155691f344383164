/* kernel/syscall/mem.c: brk, mmap and friends. Anonymous memory is lazy:
 * an area is recorded now, pages appear on first touch. A file is mapped by
 * its type's own mmap op (fs/filemap.c for private copies). */
#include "fs/fdtable.h"
#include "lib/errno.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "proc/vm_copy.h"
#include "syscall/syscall.h"

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define PROT_MASK (VM_READ | VM_WRITE | VM_EXEC)
#define BRK_MAX (1ul << 36)

static uintptr_t page_up(uintptr_t v)
{
    return (v + VM_PAGE_SIZE - 1) & ~(uintptr_t)(VM_PAGE_SIZE - 1);
}

long sys_brk(SYSCALL_ARGS)
{
    struct vm_space *vs = proc_current()->vm;
    uintptr_t want = a0, old = page_up(vs->brk), new;

    if (want < vs->brk_base || want - vs->brk_base > BRK_MAX)
        return (long)vs->brk;
    new = page_up(want);
    if (new > old) {
        if (!vm_range_free(vs, old, new - old) || rlimit_check_as(proc_current(), new - old) < 0 ||
            vm_map(vs, old, new - old, VM_READ | VM_WRITE) < 0)
            return (long)vs->brk;
    } else if (new < old) {
        vm_unmap(vs, new, old - new);
    }
    vs->brk = want;
    return (long)want;
}

static long choose_address(struct vm_space *vs, uintptr_t hint, size_t len, int flags)
{
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if ((hint & (VM_PAGE_SIZE - 1)) || hint < VM_USER_BASE || hint >= VM_USER_END ||
            len > VM_USER_END - hint)
            return -EINVAL;
        if ((flags & MAP_FIXED_NOREPLACE) && !vm_range_free(vs, hint, len))
            return -EEXIST;
        return (long)hint;
    }
    hint &= ~(uintptr_t)(VM_PAGE_SIZE - 1);
    if (hint >= VM_USER_BASE && hint < VM_USER_END && len <= VM_USER_END - hint &&
        vm_range_free(vs, hint, len))
        return (long)hint;
    hint = vm_find_free(vs, len);
    return hint ? (long)hint : -ENOMEM;
}

/* Map the file behind fd: its type's mmap op decides how (initfs and user
 * scheme files: a private copy read through pread; memory: device pages);
 * a type without one is ENODEV. */
static long map_file(int fd, uintptr_t addr, size_t len, unsigned prot, uint64_t off, bool shared)
{
    struct file *f = fd_get(proc_current(), fd);
    unsigned acc;
    long ret;

    if (!f)
        return -EBADF;
    acc = f->flags & O_ACCMODE;
    if (acc == O_WRONLY || (shared && (prot & VM_WRITE) && acc != O_RDWR))
        ret = -EACCES;
    else
        ret = f->ops->mmap ? f->ops->mmap(f, addr, len, prot, off, shared) : -ENODEV;
    file_put(f);
    return ret;
}

/* Shared anonymous memory is allocated up front, so a later fork shares
 * the very frames (lazy pages would be private to whoever touched them). */
static long map_shared_anon(struct vm_space *vs, uintptr_t addr, size_t len, unsigned prot)
{
    int err;

    if (len / VM_PAGE_SIZE > pmm_free_count() / 2)
        return -ENOMEM;
    if ((err = vm_map(vs, addr, len, prot | VM_SHARED)) < 0)
        return err;
    if ((err = vm_populate(vs, addr, len)) < 0) {
        vm_unmap(vs, addr, len);
        return err;
    }
    return (long)addr;
}

long sys_mmap(SYSCALL_ARGS)
{
    struct vm_space *vs = proc_current()->vm;
    size_t len = page_up(a1);
    unsigned prot = (unsigned)a2 & PROT_MASK;
    int flags = (int)a3, type = flags & MAP_TYPE;
    long addr;
    int err;

    if (a1 == 0 || len < a1 || (a5 & (VM_PAGE_SIZE - 1)) || (type != MAP_PRIVATE && type != MAP_SHARED))
        return -EINVAL;
    if ((err = rlimit_check_as(proc_current(), len)) < 0)
        return err;
    if ((addr = choose_address(vs, a0, len, flags)) < 0)
        return addr;
    if ((flags & MAP_ANONYMOUS) && type == MAP_SHARED)
        return map_shared_anon(vs, (uintptr_t)addr, len, prot);
    if (flags & MAP_ANONYMOUS)
        return (err = vm_map(vs, (uintptr_t)addr, len, prot)) < 0 ? err : addr;
    err = (int)map_file((int)a4, (uintptr_t)addr, len, prot, a5, type == MAP_SHARED);
    return err < 0 ? err : addr;
}

long sys_munmap(SYSCALL_ARGS)
{
    if (a0 & (VM_PAGE_SIZE - 1))
        return -EINVAL;
    return vm_unmap(proc_current()->vm, a0, a1);
}

long sys_mprotect(SYSCALL_ARGS)
{
    if (a0 & (VM_PAGE_SIZE - 1))
        return -EINVAL;
    if (a1 == 0)
        return 0;
    return vm_protect(proc_current()->vm, a0, a1, (unsigned)a2);
}

long sys_madvise(SYSCALL_ARGS)
{
    return (a0 & (VM_PAGE_SIZE - 1)) ? -EINVAL : 0;
}

long sys_mremap(SYSCALL_ARGS)
{
    return -ENOMEM;   /* callers (musl's realloc) fall back to copying */
}
