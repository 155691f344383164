/* kernel/arch/x86_64/rtc.h: the CMOS real-time clock, read once at boot. */
#ifndef ANVIL_ARCH_X86_64_RTC_H
#define ANVIL_ARCH_X86_64_RTC_H

#include <stdint.h>

/* Seconds since 1970-01-01 00:00 UTC (the RTC is taken to run in UTC). */
int64_t x86_rtc_read_epoch(void);

#endif
