/* services/fatd/fattime.c: FAT's packed dates and times (spec §6.3: date =
 * years since 1980 << 9 | month << 5 | day, time = hour << 11 | minute << 5 |
 * seconds / 2) to and from Unix seconds. Anvil keeps UTC, so FAT's "local
 * time" is UTC here. */
#include "fat.h"

#define DAY 86400
#define FAT_EPOCH_DAYS 3652      /* 1970-01-01 to 1980-01-01 */
#define FAT_LAST_YEAR 2107

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void fat_time_pack(int64_t t, uint16_t *date, uint16_t *time)
{
    int64_t days, secs, y;
    int m, d;

    if (t < (int64_t)FAT_EPOCH_DAYS * DAY)
        t = (int64_t)FAT_EPOCH_DAYS * DAY;   /* FAT cannot say earlier than 1980 */
    days = t / DAY;
    secs = t % DAY;
    civil_from_days(days, &y, &m, &d);
    if (y > FAT_LAST_YEAR) {
        y = FAT_LAST_YEAR, m = 12, d = 31;
        secs = DAY - 2;
    }
    *date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
    *time = (uint16_t)((secs / 3600) << 11 | (secs / 60 % 60) << 5 | (secs % 60) / 2);
}

int64_t fat_time_unpack(uint16_t date, uint16_t time)
{
    int m = (date >> 5) & 0xf, d = date & 0x1f;
    int64_t secs = (time >> 11) * 3600 + ((time >> 5) & 0x3f) * 60 + (time & 0x1f) * 2;

    if (m < 1 || m > 12 || d < 1)
        return (int64_t)FAT_EPOCH_DAYS * DAY;   /* a zero or broken date: 1980 */
    return days_from_civil(1980 + (date >> 9), m, d) * DAY + secs;
}
