/* kernel/selftest.h: deliberate failures that show the panic path works
 * (command-line test=panic and test=assert, the monitor's "panic"). */
#ifndef ANVIL_SELFTEST_H
#define ANVIL_SELFTEST_H

#include <stdnoreturn.h>

/* Read an unmapped address; the page-fault handler panics. */
noreturn void selftest_page_fault(void);

/* Fail a kassert: the software panic path (panic(), not an exception). */
noreturn void selftest_assert(void);

#endif
