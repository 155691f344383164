/* services/lib/pcicap.c: a function's capability list (PCI 3.0 §6.7) and
 * the MSI and MSI-X capabilities' layouts (§6.8.1, §6.8.2), read from a copy of its 256
 * configuration bytes: pcid checks writes with it, drivers program MSI. The
 * bytes come from the device, so the walk is bounded and stays in the copy. */
#include <errno.h>

#include "pcidev.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAPS (1u << 4)
#define PCI_CAP_PTR 0x34
#define PCI_CAP_FIRST 0x40             /* capabilities live after the header */
#define PCI_CAPS_MAX 48                /* (256 - 64) / 4: a longer list loops */
#define MSI_CAP_BYTES 24               /* the largest: 64-bit with mask bits */
#define MSI_CTRL_64BIT (1u << 7)
#define MSI_CTRL_MASKABLE (1u << 8)
#define MSIX_CAP_BYTES 12
#define MSIX_CTRL_SIZE 0x07ffu         /* table size - 1 */
#define MSIX_BIR 0x7u                  /* the table's BAR, in the table offset's low bits */

static unsigned get16(const uint8_t *conf, unsigned at)
{
    return conf[at] | (unsigned)conf[at + 1] << 8;
}

unsigned pcidev_cap_find(const uint8_t *conf, uint8_t id)
{
    unsigned at;

    if (!(get16(conf, PCI_STATUS) & PCI_STATUS_CAPS))
        return 0;
    at = conf[PCI_CAP_PTR] & 0xfc;
    for (int i = 0; i < PCI_CAPS_MAX && at >= PCI_CAP_FIRST; i++) {
        if (conf[at] == id)
            return at;
        at = conf[at + 1] & 0xfc;
    }
    return 0;
}

int pcidev_msi_layout(const uint8_t *conf, struct pcidev_msi *m)
{
    unsigned cap = pcidev_cap_find(conf, PCIDEV_CAP_MSI), ctrl;

    if (!cap || cap + MSI_CAP_BYTES > PCIDEV_CONF_SIZE)
        return -ENODEV;
    ctrl = get16(conf, cap + 2);
    m->ctrl = cap + 2;
    m->addr = cap + 4;
    m->upper = ctrl & MSI_CTRL_64BIT ? cap + 8 : 0;
    m->data = m->upper ? cap + 12 : cap + 8;
    m->mask = ctrl & MSI_CTRL_MASKABLE ? m->data + 4 : 0;
    return 0;
}

int pcidev_msix_layout(const uint8_t *conf, struct pcidev_msix *x)
{
    unsigned cap = pcidev_cap_find(conf, PCIDEV_CAP_MSIX);
    uint32_t table;

    if (!cap || cap + MSIX_CAP_BYTES > PCIDEV_CONF_SIZE)
        return -ENODEV;
    table = get16(conf, cap + 4) | (uint32_t)get16(conf, cap + 6) << 16;
    x->ctrl = cap + 2;
    x->entries = (get16(conf, cap + 2) & MSIX_CTRL_SIZE) + 1;
    x->bar = table & MSIX_BIR;
    x->table = table & ~MSIX_BIR;
    return x->bar < PCIDEV_BARS ? 0 : -ENODEV;
}
