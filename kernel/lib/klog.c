/* kernel/lib/klog.c: the kernel message ring (see klog.h). When full, the
 * oldest bytes are overwritten. */
#include "lib/klog.h"

/* The ring (single CPU, interrupts off in the kernel). */
static char ring[KLOG_SIZE];
static size_t head;     /* next write position */
static size_t used;     /* bytes held */

void klog_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ring[head] = s[i];
        head = (head + 1) % KLOG_SIZE;
        if (used < KLOG_SIZE)
            used++;
    }
}

size_t klog_copy(char *buf, size_t size)
{
    size_t start = (head + KLOG_SIZE - used) % KLOG_SIZE, n = used < size ? used : size;

    for (size_t i = 0; i < n; i++)
        buf[i] = ring[(start + i) % KLOG_SIZE];
    return n;
}
