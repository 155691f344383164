/* kernel/proc/vm_copy.c: page-by-page copy into any address space. */
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/vm_copy.h"

int vm_copy_out(struct vm_space *vs, uintptr_t dst, const void *src, size_t n)
{
    const char *s = src;

    while (n > 0) {
        size_t room = VM_PAGE_SIZE - (dst & (VM_PAGE_SIZE - 1));
        size_t c = n < room ? n : room;
        void *p = vm_user_byte(vs, dst, true);
        if (!p)
            return -EFAULT;
        memcpy(p, s, c);
        dst += c;
        s += c;
        n -= c;
    }
    return 0;
}
