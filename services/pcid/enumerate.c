/* services/pcid/enumerate.c: a brute-force walk of every bus, device and
 * function (256 x 32 x 8 reads at most: simple, and bridges need no
 * special case), and BAR sizing by writing all ones (PCI Local Bus 3.0
 * §6.2.5.1) with decoding off, so no half-moved BAR is ever live. */
#include <string.h>

#include "confspace.h"
#include "enumerate.h"

#define PCI_BUSES 256
#define PCI_DEVS 32
#define PCI_FNS 8
#define PCI_VENDOR 0x00            /* §6.2.1: vendor (low 16), device (high 16) */
#define PCI_VENDOR_NONE 0xffff
#define PCI_COMMAND 0x04
#define PCI_COMMAND_DECODE 0x3     /* I/O and memory space */
#define PCI_CLASS 0x08             /* revision (low 8), then the 24-bit class code */
#define PCI_HEADER 0x0e
#define PCI_HEADER_TYPE 0x7f
#define PCI_HEADER_MULTI 0x80
#define PCI_HEADER_NORMAL 0
#define PCI_BAR0 0x10
#define PCI_BAR_IO 0x1
#define PCI_BAR_64 0x4             /* memory type bits 2:1 = 10b */
#define PCI_BAR_IO_MASK 0xfffffffcu
#define PCI_BAR_MEM_MASK 0xfffffff0u
#define PCI_INTERRUPT 0x3c         /* line (low 8), pin (next 8) */
#define PCI_IRQ_NONE 0xff

/* BAR i's size mask (all ones written, read back, then restored). */
static uint32_t bar_probe(struct pci_addr a, int i)
{
    uint8_t off = (uint8_t)(PCI_BAR0 + 4 * i);
    uint32_t old = conf_read32(a, off), mask;

    conf_write32(a, off, 0xffffffffu);
    mask = conf_read32(a, off);
    conf_write32(a, off, old);
    return mask;
}

/* BAR i into b: the number of BAR slots it used (2 for a 64-bit one). */
static int bar_read(struct pci_addr a, int i, struct pcidev_bar *b)
{
    uint32_t lo = conf_read32(a, (uint8_t)(PCI_BAR0 + 4 * i)), mask = bar_probe(a, i);
    uint64_t base, size;

    if (mask == 0)
        return 1;   /* the device has no BAR in this slot */
    if (lo & PCI_BAR_IO) {
        b->kind = PCIDEV_BAR_IO;
        b->base = lo & PCI_BAR_IO_MASK;
        b->size = (uint16_t)(~(mask & PCI_BAR_IO_MASK) + 1);
        return 1;
    }
    base = lo & PCI_BAR_MEM_MASK;
    size = ~(uint64_t)(mask & PCI_BAR_MEM_MASK) + 1;
    if ((lo & 0x6) == PCI_BAR_64 && i + 1 < PCIDEV_BARS) {
        uint64_t hi_mask = bar_probe(a, i + 1);
        base |= (uint64_t)conf_read32(a, (uint8_t)(PCI_BAR0 + 4 * (i + 1))) << 32;
        size = ~((hi_mask << 32) | (mask & PCI_BAR_MEM_MASK)) + 1;
    } else {
        size &= 0xffffffffu;
    }
    b->kind = PCIDEV_BAR_MEM;
    b->base = base;
    b->size = size;
    return (lo & 0x6) == PCI_BAR_64 ? 2 : 1;
}

static void bars_read(struct pci_addr a, struct pcidev *d)
{
    uint16_t cmd = conf_read16(a, PCI_COMMAND);

    conf_write16(a, PCI_COMMAND, (uint16_t)(cmd & ~PCI_COMMAND_DECODE));
    for (int i = 0; i < PCIDEV_BARS;)
        i += bar_read(a, i, &d->bar[i]);
    conf_write16(a, PCI_COMMAND, cmd);
}

static void func_read(struct pci_addr a, uint32_t id, struct pcidev *d)
{
    uint32_t intr = conf_read32(a, PCI_INTERRUPT);
    uint8_t line = (uint8_t)intr, pin = (uint8_t)(intr >> 8);

    memset(d, 0, sizeof(*d));
    d->bus = a.bus, d->dev = a.dev, d->fn = a.fn;
    d->vendor = (uint16_t)id;
    d->device = (uint16_t)(id >> 16);
    d->class = conf_read32(a, PCI_CLASS) >> 8;
    d->irq = pin && line != PCI_IRQ_NONE ? line : PCIDEV_NO_IRQ;
    if ((conf_read16(a, PCI_HEADER) & PCI_HEADER_TYPE) == PCI_HEADER_NORMAL)
        bars_read(a, d);   /* bridges' BARs are not a driver's business */
}

size_t pci_enumerate(struct pcidev *out, size_t max)
{
    size_t n = 0;

    for (unsigned bus = 0; bus < PCI_BUSES; bus++) {
        for (unsigned dev = 0; dev < PCI_DEVS; dev++) {
            for (unsigned fn = 0; fn < PCI_FNS && n < max; fn++) {
                struct pci_addr a = {(uint8_t)bus, (uint8_t)dev, (uint8_t)fn};
                uint32_t id = conf_read32(a, PCI_VENDOR);
                if ((id & 0xffff) == PCI_VENDOR_NONE) {
                    if (fn == 0)
                        break;
                    continue;
                }
                func_read(a, id, &out[n++]);
                if (fn == 0 && !(conf_read16(a, PCI_HEADER) & PCI_HEADER_MULTI))
                    break;
            }
        }
    }
    return n;
}
