/* services/logd/ring.h: the log ring: the last RING_SIZE bytes of stamped
 * lines, dropped oldest line first so it always starts at a whole line.
 * Positions are byte counts since logd started, so a reader's position stays
 * meaningful while old lines drop out under it. */
#ifndef ANVIL_SERVICES_LOGD_RING_H
#define ANVIL_SERVICES_LOGD_RING_H

#include <stddef.h>
#include <stdint.h>

#define RING_SIZE (64u << 10)

/* Keep one line (len bytes ending in '\n', at most RING_SIZE). */
void ring_append(const char *line, size_t len);
/* The position of the oldest byte kept, and the one after the newest. */
uint64_t ring_oldest(void);
uint64_t ring_newest(void);
/* Copy up to len bytes from *pos on (from the oldest line if *pos has been
 * dropped) and advance *pos: the bytes copied, 0 at the end. */
size_t ring_read(uint64_t *pos, char *buf, size_t len);

#endif
