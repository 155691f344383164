/* services/pcid/msicap.c: checking a driver's write to its function's MSI
 * capability (PCI 3.0 §6.8.1) field by field, or to MSI-X's message control
 * (§6.8.2). The MSI address must be the local APICs' window, so through
 * pci: a driver can make its device raise an interrupt, not write anywhere
 * else. */
#include <errno.h>
#include <string.h>

#include "msicap.h"
#include "pcidev.h"

#define MSI_CTRL_WRITABLE (PCIDEV_MSI_CTRL_ENABLE | PCIDEV_MSI_CTRL_MME)
#define MSIX_CTRL_WRITABLE (PCIDEV_MSIX_CTRL_ENABLE | PCIDEV_MSIX_CTRL_MASK_ALL)

static void conf_copy(struct pci_addr a, uint8_t *conf)
{
    for (unsigned at = 0; at < PCIDEV_CONF_SIZE; at += 4) {
        uint32_t v = conf_read32(a, (uint8_t)at);
        memcpy(conf + at, &v, 4);
    }
}

static long write16(struct pci_addr a, size_t off, uint16_t v)
{
    conf_write16(a, (uint8_t)off, v);
    return 2;
}

static long write32(struct pci_addr a, size_t off, uint32_t v)
{
    conf_write32(a, (uint8_t)off, v);
    return 4;
}

/* MSI-X message control: only its enable and function-mask bits (the table
 * itself is in the driver's own BAR). */
static long msix_write(struct pci_addr a, const uint8_t *conf, size_t off, uint16_t v)
{
    struct pcidev_msix x;
    uint16_t ctrl;

    if (pcidev_msix_layout(conf, &x) < 0 || off != x.ctrl)
        return -EPERM;
    ctrl = (uint16_t)(conf[x.ctrl] | conf[x.ctrl + 1] << 8);
    return write16(a, off, (uint16_t)((ctrl & ~MSIX_CTRL_WRITABLE) | (v & MSIX_CTRL_WRITABLE)));
}

long msicap_write(struct pci_addr a, size_t off, const void *buf, size_t len)
{
    uint8_t conf[PCIDEV_CONF_SIZE];
    struct pcidev_msi m;
    uint16_t ctrl, v16 = 0;
    uint32_t v32 = 0;

    if (len != 2 && len != 4)
        return -EPERM;
    conf_copy(a, conf);
    memcpy(len == 2 ? (void *)&v16 : (void *)&v32, buf, len);
    if (len == 2 && msix_write(a, conf, off, v16) == 2)
        return 2;
    if (pcidev_msi_layout(conf, &m) < 0)
        return -EPERM;
    ctrl = (uint16_t)(conf[m.ctrl] | conf[m.ctrl + 1] << 8);
    if (off == m.ctrl && len == 2)
        return write16(a, off, (uint16_t)((ctrl & ~MSI_CTRL_WRITABLE) | (v16 & MSI_CTRL_WRITABLE)));
    if (off == m.addr && len == 4 && (v32 & PCIDEV_MSI_ADDR_MASK) == PCIDEV_MSI_ADDR_WINDOW)
        return write32(a, off, v32);
    if (m.upper && off == m.upper && len == 4 && v32 == 0)
        return write32(a, off, 0);
    if (off == m.data && len == 2)
        return write16(a, off, v16);
    if (m.mask && off == m.mask && len == 4)
        return write32(a, off, v32);
    return -EPERM;
}
