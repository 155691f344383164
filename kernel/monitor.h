/* kernel/monitor.h: a tiny debug monitor on the serial port (feature
 * "monitor", with "serial"), run when the kernel has nothing else to do (on_exit=stay). */
#ifndef ANVIL_MONITOR_H
#define ANVIL_MONITOR_H

#include <stdnoreturn.h>

#include "boot/boot_info.h"

#if defined(ANVIL_FEATURE_SERIAL) && defined(ANVIL_FEATURE_MONITOR)
/* Prompt "anvil> ", read commands and run them, forever. */
noreturn void monitor_run(const struct boot_info *bi);
#endif

#endif
