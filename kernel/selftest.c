/* kernel/selftest.c: deliberate failures that show the panic path works. */
#include <stdint.h>

#include "lib/kassert.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "selftest.h"

/* In the lower half, far above the 4 GiB the boot page tables map. */
#define SELFTEST_UNMAPPED_ADDR 0xdead0000000ul

noreturn void selftest_page_fault(void)
{
    volatile const uint64_t *p = (volatile const uint64_t *)SELFTEST_UNMAPPED_ADDR;

    kprintf("selftest: reading unmapped address 0x%lx\n", SELFTEST_UNMAPPED_ADDR);
    (void)*p;
    panic("selftest: reading 0x%lx did not fault", SELFTEST_UNMAPPED_ADDR);
}

noreturn void selftest_assert(void)
{
    /* volatile: the compiler must not see that the assertion fails */
    volatile int selftest_one = 1;

    kassert(selftest_one == 2);
    panic("selftest: kassert did not fire");
}
