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
/* As pcidev_bar_claim for d's n BARs numbered in bars (a driver whose
 * device has its registers in one BAR and its MSI-X table in another),
 * keeping d's INTx line too if held. */
int pcidev_claim(const struct pcidev *d, const int *bars, int n);
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

/* The MSI-X capability (PCI 3.0 §6.8.2): message control, and the vector
 * table in a memory BAR: 16 bytes an entry (address, upper address, data,
 * vector control). */
#define PCIDEV_CAP_MSIX 0x11
#define PCIDEV_MSIX_CTRL_ENABLE 0x8000u
#define PCIDEV_MSIX_CTRL_MASK_ALL 0x4000u       /* function mask */
#define PCIDEV_MSIX_ENTRY_BYTES 16

struct pcidev_msix {
    unsigned ctrl;            /* offset of message control in configuration space */
    unsigned bar;             /* the BAR holding the table (BIR) */
    uint64_t table;           /* its offset in that BAR */
    unsigned entries;
};

/* Open d's configuration space (pci:BB:DD.F/config) and read it into
 * bytes: the fd, or -errno. */
int pcidev_conf_open(const struct pcidev *d, uint8_t bytes[PCIDEV_CONF_SIZE]);
/* The offset of capability id in conf (PCIDEV_CONF_SIZE bytes), or 0. */
unsigned pcidev_cap_find(const uint8_t *conf, uint8_t id);
/* The MSI capability's layout in conf into m: 0 or -ENODEV. */
int pcidev_msi_layout(const uint8_t *conf, struct pcidev_msi *m);
/* The MSI-X capability's layout in conf into x: 0 or -ENODEV. */
int pcidev_msix_layout(const uint8_t *conf, struct pcidev_msix *x);
/* Point d's MSI-X table entry 0 at a vector of our own (irq:msi, needs an
 * irq grant for ANVIL_IRQ_MSI; the table's BAR is mapped, so its grant must
 * be held), the other entries masked, and enable MSI-X: the irq:msi fd, or
 * -errno (-ENODEV: no MSI-X capability or a table outside its BAR). */
int pcidev_msix_enable(const struct pcidev *d);
/* Turn d's MSI-X off (a driver falling back to polling, after a previous
 * run of it left MSI-X on): 0 or -errno. */
int pcidev_msix_disable(const struct pcidev *d);
/* A driver's start: pcidev_msix_enable, logging "WHO: MSI-X on vector 0xV";
 * or, logging why, MSI-X off and -1 (the driver polls, or takes INTx). */
int pcidev_msix_vector(const struct pcidev *d, const char *who);
/* Point d's MSI at a vector of our own (irq:msi, needs an irq grant for
 * ANVIL_IRQ_MSI) and enable it: the irq:msi fd that counts its interrupts,
 * or -errno (-ENODEV: no MSI capability). */
int pcidev_msi_enable(const struct pcidev *d);

#endif
