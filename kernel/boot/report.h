/* kernel/boot/report.h: the boot report on the console (banner, boot
 * protocol, memory, modules, framebuffer), which tests read line by line. */
#ifndef ANVIL_BOOT_REPORT_H
#define ANVIL_BOOT_REPORT_H

#include "boot/boot_info.h"

/* The whole report, starting with "Anvil <version> x86_64 features: ...". */
void boot_report_print(const struct boot_info *bi);

/* One line per memory region, then the usable total. */
void boot_report_memory_map(const struct boot_info *bi);

#endif
