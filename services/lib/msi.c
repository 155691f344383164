/* services/lib/msi.c: a driver turning on its device's MSI: a vector from
 * the kernel (irq:msi), its message written into the MSI capability through
 * pcid (which checks each field), then the enable bit. */
#include <anvil/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "pcidev.h"

/* Write a 16- or 32-bit field of the configuration space: 0 or -errno. */
static int field_set(int fd, unsigned off, uint32_t v, size_t len)
{
    uint16_t v16 = (uint16_t)v;

    if (pwrite(fd, len == 2 ? (void *)&v16 : (void *)&v, len, off) != (ssize_t)len)
        return -errno;
    return 0;
}

/* The message into the capability, then the enable bit (one message: MME 0). */
static int program(int conf, const uint8_t *bytes, const struct pcidev_msi *m,
                   const struct anvil_irq_msi *msg)
{
    uint16_t ctrl = (uint16_t)(bytes[m->ctrl] | bytes[m->ctrl + 1] << 8);
    int err;

    if ((err = field_set(conf, m->addr, (uint32_t)msg->address, 4)) < 0 ||
        (m->upper && (err = field_set(conf, m->upper, (uint32_t)(msg->address >> 32), 4)) < 0) ||
        (err = field_set(conf, m->data, msg->data, 2)) < 0 ||
        (m->mask && (err = field_set(conf, m->mask, 0, 4)) < 0))
        return err;
    return field_set(conf, m->ctrl, (ctrl & ~PCIDEV_MSI_CTRL_MME) | PCIDEV_MSI_CTRL_ENABLE, 2);
}

int pcidev_msi_enable(const struct pcidev *d)
{
    uint8_t bytes[PCIDEV_CONF_SIZE];
    struct anvil_irq_msi msg;
    struct pcidev_msi m;
    int conf, irq = -1, err;

    if ((conf = pcidev_conf_open(d, bytes)) < 0)
        return conf;
    err = pcidev_msi_layout(bytes, &m);
    if (!err && (irq = open("irq:msi", O_RDWR | O_CLOEXEC)) < 0)
        err = -errno;
    if (!err && pread(irq, &msg, sizeof(msg), 0) != sizeof(msg))
        err = -EIO;
    if (!err)
        err = program(conf, bytes, &m, &msg);
    close(conf);
    if (err && irq >= 0)
        close(irq);
    return err ? err : irq;
}
