/* kernel/mm/usercopy.c: user memory access one page at a time through
 * vm_user_byte, which resolves lazy and copy-on-write pages on the way. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/usercopy.h"
#include "mm/vm.h"

/* Bytes from addr to the end of its page, at most n. */
static size_t chunk(uintptr_t addr, size_t n)
{
    size_t room = VM_PAGE_SIZE - (addr & (VM_PAGE_SIZE - 1));

    return n < room ? n : room;
}

static int user_access(uintptr_t uaddr, size_t n, bool write,
                       void (*op)(void *user, void *kernel, size_t len), char *kbuf)
{
    if (uaddr + n < uaddr)
        return -EFAULT;
    while (n > 0) {
        size_t c = chunk(uaddr, n);
        void *p = vm_user_byte(vm_current(), uaddr, write);
        if (!p)
            return -EFAULT;
        op(p, kbuf, c);
        uaddr += c;
        if (kbuf)
            kbuf += c;
        n -= c;
    }
    return 0;
}

static void op_read(void *user, void *kernel, size_t len)
{
    memcpy(kernel, user, len);
}

static void op_write(void *user, void *kernel, size_t len)
{
    memcpy(user, kernel, len);
}

static void op_zero(void *user, void *kernel, size_t len)
{
    (void)kernel;
    memset(user, 0, len);
}

int copy_from_user(void *dst, uintptr_t usrc, size_t n)
{
    return user_access(usrc, n, false, op_read, dst);
}

int copy_to_user(uintptr_t udst, const void *src, size_t n)
{
    return user_access(udst, n, true, op_write, (char *)src);
}

int clear_user(uintptr_t udst, size_t n)
{
    return user_access(udst, n, true, op_zero, NULL);
}

bool user_range_ok(uintptr_t uaddr, size_t n)
{
    if (n == 0)
        return true;
    if (uaddr + n < uaddr || uaddr + n > VM_USER_END)
        return false;
    return vm_range_mapped(vm_current(), uaddr, n);
}

long strncpy_from_user(char *dst, uintptr_t usrc, size_t max)
{
    size_t i = 0;

    while (i < max) {
        size_t c = chunk(usrc + i, max - i);
        const char *p = vm_user_byte(vm_current(), usrc + i, false);
        if (!p)
            return -EFAULT;
        for (size_t k = 0; k < c; k++, i++) {
            dst[i] = p[k];
            if (p[k] == '\0')
                return (long)i;
        }
    }
    return -ENAMETOOLONG;
}
