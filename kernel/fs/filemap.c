/* kernel/fs/filemap.c: mmap as a private copy read through pread (see filemap.h). */
#include "fs/filemap.h"
#include "lib/errno.h"
#include "mm/vm.h"
#include "proc/proc.h"

long filemap_private(struct file *f, uintptr_t addr, size_t len, unsigned prot, uint64_t off)
{
    struct vm_space *vs = proc_current()->vm;
    size_t done = 0;
    long r = 0;
    int err;

    if (!f->ops->pread)
        return -ENODEV;
    if (off + len < off)
        return -EOVERFLOW;
    if ((err = vm_map(vs, addr, len, VM_READ | VM_WRITE)) < 0)
        return err;
    while (done < len) {
        r = f->ops->pread(f, addr + done, len - done, off + done);
        if (r <= 0)
            break;
        if ((size_t)r > len - done) {
            r = -EIO;   /* more than asked for: a broken file type */
            break;
        }
        done += (size_t)r;
    }
    if (r < 0 || (err = vm_protect(vs, addr, len, prot)) < 0) {
        vm_unmap(vs, addr, len);
        return r < 0 ? r : err;
    }
    return 0;
}
