/* kernel/monitor.h: a tiny debug monitor on the serial port (feature
 * "serial"), run when the kernel has nothing else to do (on_exit=stay). */
#ifndef ANVIL_MONITOR_H
#define ANVIL_MONITOR_H

#include <stdnoreturn.h>

#include "boot/boot_info.h"

#ifdef ANVIL_FEATURE_SERIAL
/* Prompt "anvil> ", read commands and run them, forever. */
noreturn void monitor_run(const struct boot_info *bi);
#endif

#endif
