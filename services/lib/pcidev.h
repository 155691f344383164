/* services/lib/pcidev.h: one PCI function as pcid lists it in pci:, one
 * line each (docs/drivers.md):
 *   BB:DD.F CCCCCC VVVV:DDDD irq=N|- [barI=io:0xBASE+0xSIZE|barI=mem:0xBASE+0xSIZE]...
 * pcid formats the lines; drivers find their device in them. */
#ifndef ANVIL_SERVICES_LIB_PCIDEV_H
#define ANVIL_SERVICES_LIB_PCIDEV_H

#include <stddef.h>
#include <stdint.h>

#define PCIDEV_BARS 6
#define PCIDEV_LINE_MAX 256
#define PCIDEV_NO_IRQ (-1)
#define PCIDEV_ANY 0xffffffffu   /* a match field that matches everything */

enum pcidev_bar_kind { PCIDEV_BAR_NONE, PCIDEV_BAR_IO, PCIDEV_BAR_MEM };

struct pcidev_bar {
    int kind;                 /* enum pcidev_bar_kind */
    uint64_t base, size;
};

struct pcidev {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint32_t class;           /* class, subclass, programming interface */
    int irq;                  /* the legacy line, or PCIDEV_NO_IRQ */
    struct pcidev_bar bar[PCIDEV_BARS];
};

/* d as one line with its newline into buf: the length (truncated lines are cut short). */
size_t pcidev_format(const struct pcidev *d, char *buf, size_t len);
/* One line (without newline) into d: 0, or -1 when it is not a device line. */
int pcidev_parse(const char *line, struct pcidev *d);
/* The first device in pci: whose class, vendor and device match (PCIDEV_ANY
 * for any): 0, -ENODEV, or -errno reading pci:. */
int pcidev_find(uint32_t class, uint32_t vendor, uint32_t device, struct pcidev *d);
/* Let d decode its BARs and master the bus (pci:BB:DD.F/config): 0 or -errno. */
int pcidev_enable(const struct pcidev *d);
/* Keep only the grants BAR b needs, and dma (and open its ports if it is an
 * I/O BAR), so a later bug in the driver cannot reach anything else: 0 or -errno. */
int pcidev_bar_claim(const struct pcidev_bar *b);
/* Map memory BAR b's registers (uncached) at *regs: 0 or -errno. */
int pcidev_bar_map(const struct pcidev_bar *b, volatile void **regs);
/* A driver's start: the first device of class into d, its grants narrowed to
 * memory BAR bar (and dma), enabled, the BAR mapped at *regs: 0 or -errno
 * (-ENODEV when there is no such device). */
int pcidev_take_mem(uint32_t class, int bar, struct pcidev *d, volatile void **regs);

#endif
