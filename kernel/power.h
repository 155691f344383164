/* kernel/power.h: turning the machine off with an exit status. */
#ifndef ANVIL_POWER_H
#define ANVIL_POWER_H

#include <stdnoreturn.h>

/* Print "poweroff: status N" and leave QEMU with status (0..126, see
 * include/anvil/exit.h); elsewhere print "poweroff: halted" and halt. */
noreturn void power_off(int status);

#endif
