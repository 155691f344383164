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
#define PCIDEV_ENV "PCI_DEVICE"  /* BB:DD.F: the device init started this driver for */

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
 * for any), and whose address is $PCI_DEVICE when that is set: 0, -ENODEV,
 * or -errno reading pci:. */
int pcidev_find(uint32_t class, uint32_t vendor, uint32_t device, struct pcidev *d);
/* Let d decode its BARs and master the bus (pci:BB:DD.F/config): 0 or -errno. */
int pcidev_enable(const struct pcidev *d);
/* Keep only the grants BAR b needs, dma, and irq:msi's if held (and open its
 * ports if it is an I/O BAR), so a later bug in the driver cannot reach
 * anything else: 0 or -errno. */
int pcidev_bar_claim(const struct pcidev_bar *b);
/* Map memory BAR b's registers (uncached) at *regs: 0 or -errno. */
int pcidev_bar_map(const struct pcidev_bar *b, volatile void **regs);
/* A driver's start: the first device of class into d, its grants narrowed to
 * memory BAR bar (and dma), enabled, the BAR mapped at *regs: 0 or -errno
 * (-ENODEV when there is no such device). */
int pcidev_take_mem(uint32_t class, int bar, struct pcidev *d, volatile void **regs);

/* Configuration space (pci:BB:DD.F/config) and the MSI capability in it. */
#define PCIDEV_CONF_SIZE 256
#define PCIDEV_CAP_MSI 0x05
#define PCIDEV_MSI_CTRL_ENABLE 0x0001u
#define PCIDEV_MSI_CTRL_MME 0x0070u             /* multiple message enable: 2^n vectors */
#define PCIDEV_MSI_ADDR_WINDOW 0xfee00000u      /* the local APICs (Intel SDM 3A §11.11.1) */
#define PCIDEV_MSI_ADDR_MASK 0xfff00003u

/* Offsets of the MSI capability's fields; upper and mask are 0 when absent. */
struct pcidev_msi {
    unsigned ctrl, addr, upper, data, mask;
};

/* The offset of capability id in conf (PCIDEV_CONF_SIZE bytes), or 0. */
unsigned pcidev_cap_find(const uint8_t *conf, uint8_t id);
/* The MSI capability's layout in conf into m: 0 or -ENODEV. */
int pcidev_msi_layout(const uint8_t *conf, struct pcidev_msi *m);
/* Point d's MSI at a vector of our own (irq:msi, needs an irq grant for
 * ANVIL_IRQ_MSI) and enable it: the irq:msi fd that counts its interrupts,
 * or -errno (-ENODEV: no MSI capability). */
int pcidev_msi_enable(const struct pcidev *d);

#endif
