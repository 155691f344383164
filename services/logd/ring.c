/* services/logd/ring.c: the ring of stamped lines (ring.h). One ring per
 * daemon, a fixed buffer: byte position p lives at data[p % RING_SIZE]. */
#include <string.h>

#include "ring.h"

static char data[RING_SIZE];
static uint64_t oldest, newest;   /* kept: positions oldest .. newest-1 */

/* Drop the oldest line, newline included. */
static void drop_line(void)
{
    while (oldest < newest && data[oldest++ % RING_SIZE] != '\n')
        ;
}

void ring_append(const char *line, size_t len)
{
    size_t at, first;

    if (len > RING_SIZE) {
        line += len - RING_SIZE;
        len = RING_SIZE;
    }
    while (newest + len - oldest > RING_SIZE)
        drop_line();
    at = newest % RING_SIZE;
    first = len < RING_SIZE - at ? len : RING_SIZE - at;
    memcpy(data + at, line, first);
    memcpy(data, line + first, len - first);
    newest += len;
}

uint64_t ring_oldest(void)
{
    return oldest;
}

uint64_t ring_newest(void)
{
    return newest;
}

size_t ring_read(uint64_t *pos, char *buf, size_t len)
{
    uint64_t p = *pos < oldest ? oldest : *pos;
    size_t at, first;

    if (p > newest)
        p = newest;
    at = p % RING_SIZE;
    if (len > newest - p)
        len = newest - p;
    first = len < RING_SIZE - at ? len : RING_SIZE - at;
    memcpy(buf, data + at, first);
    memcpy(buf + first, data, len - first);
    *pos = p + len;
    return len;
}
