/* services/lib/pcidev.c: the pci: device line, written by pcid and read by
 * drivers (format in pcidev.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcidev.h"

size_t pcidev_format(const struct pcidev *d, char *buf, size_t len)
{
    size_t n = 0;
    int w;

    w = snprintf(buf, len, "%02x:%02x.%x %06x %04x:%04x irq=", d->bus, d->dev, d->fn,
                 (unsigned)d->class, d->vendor, d->device);
    n = w > 0 && (size_t)w < len ? (size_t)w : 0;
    w = d->irq == PCIDEV_NO_IRQ ? snprintf(buf + n, len - n, "-")
                                : snprintf(buf + n, len - n, "%d", d->irq);
    n += w > 0 && (size_t)w < len - n ? (size_t)w : 0;
    for (int i = 0; i < PCIDEV_BARS; i++) {
        const struct pcidev_bar *b = &d->bar[i];
        if (b->kind == PCIDEV_BAR_NONE)
            continue;
        w = snprintf(buf + n, len - n, " bar%d=%s:0x%llx+0x%llx", i,
                     b->kind == PCIDEV_BAR_IO ? "io" : "mem", (unsigned long long)b->base,
                     (unsigned long long)b->size);
        n += w > 0 && (size_t)w < len - n ? (size_t)w : 0;
    }
    if (n + 1 < len) {
        buf[n++] = '\n';
        buf[n] = '\0';
    }
    return n;
}

/* "barI=KIND:0xBASE+0xSIZE" into d: 0 or -1. */
static int parse_bar(const char *word, struct pcidev *d)
{
    unsigned i;
    char kind[4];
    unsigned long long base, size;

    if (sscanf(word, "bar%u=%3[a-z]:%llx+%llx", &i, kind, &base, &size) != 4 || i >= PCIDEV_BARS)
        return -1;
    if (!strcmp(kind, "io"))
        d->bar[i].kind = PCIDEV_BAR_IO;
    else if (!strcmp(kind, "mem"))
        d->bar[i].kind = PCIDEV_BAR_MEM;
    else
        return -1;
    d->bar[i].base = base;
    d->bar[i].size = size;
    return 0;
}

int pcidev_parse(const char *line, struct pcidev *d)
{
    unsigned bus, dev, fn, class, vendor, device;
    char copy[PCIDEV_LINE_MAX], irq[8], *save, *word;
    int used;

    memset(d, 0, sizeof(*d));
    if (sscanf(line, "%2x:%2x.%1x %6x %4x:%4x irq=%7s %n", &bus, &dev, &fn, &class, &vendor,
               &device, irq, &used) < 7)
        return -1;
    d->bus = (uint8_t)bus, d->dev = (uint8_t)dev, d->fn = (uint8_t)fn;
    d->class = class, d->vendor = (uint16_t)vendor, d->device = (uint16_t)device;
    d->irq = irq[0] == '-' ? PCIDEV_NO_IRQ : atoi(irq);
    snprintf(copy, sizeof(copy), "%s", line + used);
    for (word = strtok_r(copy, " ", &save); word; word = strtok_r(NULL, " ", &save))
        if (parse_bar(word, d) < 0)
            return -1;
    return 0;
}
