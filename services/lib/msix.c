/* services/lib/msix.c: a driver turning on its device's MSI-X (PCI 3.0
 * §6.8.2): a vector from the kernel (irq:msi); with the whole function
 * masked, entry 0 of the table (in a memory BAR the driver holds) gets the
 * message and is unmasked, then the function mask is lifted. pcid lets the
 * driver change only message control's enable and function-mask bits. */
#include <anvil/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmio.h"
#include "pcidev.h"
#include "svc.h"

#define ENTRY_ADDR 0x0
#define ENTRY_UPPER 0x4
#define ENTRY_DATA 0x8
#define ENTRY_CTRL 0xc
#define ENTRY_MASKED 0x1u
#define PAGE 4096u

static int ctrl_set(int conf, const struct pcidev_msix *x, uint16_t v)
{
    return pwrite(conf, &v, sizeof(v), x->ctrl) == sizeof(v) ? 0 : -errno;
}

/* Mask every entry but 0, which gets msg. */
static void table_fill(volatile uint8_t *table, unsigned entries, const struct anvil_irq_msi *msg)
{
    for (unsigned i = 1; i < entries; i++)
        mmio_write32(table, i * PCIDEV_MSIX_ENTRY_BYTES + ENTRY_CTRL, ENTRY_MASKED);
    mmio_write32(table, ENTRY_ADDR, (uint32_t)msg->address);
    mmio_write32(table, ENTRY_UPPER, (uint32_t)(msg->address >> 32));
    mmio_write32(table, ENTRY_DATA, msg->data);
    mmio_write32(table, ENTRY_CTRL, 0);
}

/* The table, mapped from its BAR: 0 or -errno. */
static int table_map(const struct pcidev *d, const struct pcidev_msix *x, volatile void **bar)
{
    const struct pcidev_bar *b = &d->bar[x->bar];

    if (b->kind != PCIDEV_BAR_MEM || x->table > b->size ||
        (uint64_t)x->entries * PCIDEV_MSIX_ENTRY_BYTES > b->size - x->table)
        return -ENODEV;
    return pcidev_bar_map(b, bar);
}

/* Program entry 0 with a fresh vector and enable; the irq:msi fd or -errno. */
static int program(int conf, const struct pcidev *d, const struct pcidev_msix *x)
{
    struct anvil_irq_msi msg;
    volatile void *bar = NULL;
    int irq, err;

    if ((err = table_map(d, x, &bar)) < 0)
        return err;
    if ((irq = open("irq:msi", O_RDWR | O_CLOEXEC)) < 0)
        err = -errno;
    else if (pread(irq, &msg, sizeof(msg), 0) != sizeof(msg) ||
             ((uint32_t)msg.address & PCIDEV_MSI_ADDR_MASK) != PCIDEV_MSI_ADDR_WINDOW)
        err = -EIO;
    else if ((err = ctrl_set(conf, x, PCIDEV_MSIX_CTRL_ENABLE | PCIDEV_MSIX_CTRL_MASK_ALL)) == 0) {
        table_fill((volatile uint8_t *)bar + x->table, x->entries, &msg);
        if ((err = ctrl_set(conf, x, PCIDEV_MSIX_CTRL_ENABLE)) < 0)
            ctrl_set(conf, x, 0);   /* all off again, as the caller expects */
    }
    /* The table page stays mapped only while we need it. */
    munmap((void *)bar, (d->bar[x->bar].size + PAGE - 1) & ~(uint64_t)(PAGE - 1));
    if (err && irq >= 0)
        close(irq);
    return err ? err : irq;
}

/* MSI-X on (on: the irq:msi fd) or off (0) for d, or -errno. */
static int msix_set(const struct pcidev *d, bool on)
{
    uint8_t bytes[PCIDEV_CONF_SIZE];
    struct pcidev_msix x;
    int conf, err;

    if ((conf = pcidev_conf_open(d, bytes)) < 0)
        return conf;
    err = pcidev_msix_layout(bytes, &x);
    if (!err)
        err = on ? program(conf, d, &x) : ctrl_set(conf, &x, 0);
    close(conf);
    return err;
}

int pcidev_msix_enable(const struct pcidev *d)
{
    return msix_set(d, true);
}

int pcidev_msix_disable(const struct pcidev *d)
{
    return msix_set(d, false);
}

int pcidev_msix_vector(const struct pcidev *d, const char *who)
{
    int fd = pcidev_msix_enable(d);
    struct anvil_irq_msi msg;

    if (fd < 0 || pread(fd, &msg, sizeof(msg), 0) != sizeof(msg)) {
        svc_log("%s: no MSI-X (%s)", who, strerror(fd < 0 ? -fd : EIO));
        if (fd >= 0)
            close(fd);
        pcidev_msix_disable(d);
        return -1;
    }
    svc_log("%s: MSI-X on vector 0x%x", who, (unsigned)msg.vector);
    return fd;
}
