/* kernel/arch/x86_64/rtc.c: reading the MC146818 CMOS clock: wait for no
 * update in progress, read twice until stable, decode BCD and 12-hour mode
 * (register B). The century is taken as 20xx. */
#include <stdbool.h>

#include "arch/x86_64/io.h"
#include "arch/x86_64/rtc.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define REG_SEC 0x00
#define REG_MIN 0x02
#define REG_HOUR 0x04
#define REG_DAY 0x07
#define REG_MONTH 0x08
#define REG_YEAR 0x09
#define REG_A 0x0a
#define REG_B 0x0b
#define REG_A_UPDATING 0x80
#define REG_B_BINARY 0x04
#define REG_B_24H 0x02
#define HOUR_PM 0x80
#define SPIN_LIMIT 1000000

struct rtc_time {
    unsigned sec, min, hour, day, month, year;
};

static unsigned cmos(uint8_t reg)
{
    x86_outb(CMOS_INDEX, reg);
    return x86_inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t)
{
    for (int i = 0; i < SPIN_LIMIT && (cmos(REG_A) & REG_A_UPDATING); i++)
        ;
    t->sec = cmos(REG_SEC);
    t->min = cmos(REG_MIN);
    t->hour = cmos(REG_HOUR);
    t->day = cmos(REG_DAY);
    t->month = cmos(REG_MONTH);
    t->year = cmos(REG_YEAR);
}

static unsigned bcd(unsigned v)
{
    return (v & 0x0f) + (v >> 4) * 10;
}

static void decode(struct rtc_time *t)
{
    unsigned b = cmos(REG_B);
    bool pm = t->hour & HOUR_PM;

    t->hour &= ~HOUR_PM;
    if (!(b & REG_B_BINARY)) {
        t->sec = bcd(t->sec);
        t->min = bcd(t->min);
        t->hour = bcd(t->hour);
        t->day = bcd(t->day);
        t->month = bcd(t->month);
        t->year = bcd(t->year);
    }
    if (!(b & REG_B_24H))
        t->hour = t->hour % 12 + (pm ? 12 : 0);
    t->year += 2000;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, Howard Hinnant's
 * days_from_civil algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int64_t x86_rtc_read_epoch(void)
{
    struct rtc_time a, b;

    read_raw(&a);
    for (int tries = 0; tries < 5; tries++) {
        read_raw(&b);
        if (a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.day == b.day)
            break;
        a = b;
    }
    decode(&b);
    if (b.month < 1 || b.month > 12 || b.day < 1 || b.day > 31)
        return 0;
    return days_from_civil(b.year, b.month, b.day) * 86400 + b.hour * 3600 + b.min * 60 + b.sec;
}
