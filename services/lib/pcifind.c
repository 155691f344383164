/* services/lib/pcifind.c: how a driver finds its device in pcid's pci: list
 * and asks pcid to turn it on. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcidev.h"

#define LIST_MAX 16384          /* 64 functions of a long line each */
#define PCI_COMMAND 0x04        /* PCI Local Bus 3.0 §6.2.2 */
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEM 0x2
#define PCI_COMMAND_MASTER 0x4

static int read_list(char *buf, size_t len)
{
    int fd = open("pci:", O_RDONLY | O_CLOEXEC);
    size_t n = 0;
    ssize_t r;

    if (fd < 0)
        return -errno;
    while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    buf[n] = '\0';
    return 0;
}

/* init starts a driver with its device's address in PCI_DEVICE: only that one is ours. */
static int matches(const struct pcidev *d, uint32_t class, uint32_t vendor, uint32_t device)
{
    const char *mine = getenv(PCIDEV_ENV);
    char addr[16];

    snprintf(addr, sizeof(addr), "%02x:%02x.%x", d->bus, d->dev, d->fn);
    if (mine && strcmp(mine, addr) != 0)
        return 0;
    return (class == PCIDEV_ANY || d->class == class) &&
           (vendor == PCIDEV_ANY || d->vendor == vendor) &&
           (device == PCIDEV_ANY || d->device == device);
}

int pcidev_find(uint32_t class, uint32_t vendor, uint32_t device, struct pcidev *d)
{
    static char list[LIST_MAX];
    char *save, *line;
    int err;

    if ((err = read_list(list, sizeof(list))) < 0)
        return err;
    for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (pcidev_parse(line, d) == 0 && matches(d, class, vendor, device))
            return 0;
    return -ENODEV;
}

int pcidev_enable(const struct pcidev *d)
{
    char path[64];
    uint16_t cmd = PCI_COMMAND_IO | PCI_COMMAND_MEM | PCI_COMMAND_MASTER;
    int fd, err = 0;

    snprintf(path, sizeof(path), "pci:%02x:%02x.%x/config", d->bus, d->dev, d->fn);
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return -errno;
    if (pwrite(fd, &cmd, sizeof(cmd), PCI_COMMAND) != sizeof(cmd))
        err = -errno;
    close(fd);
    return err;
}

int pcidev_conf_open(const struct pcidev *d, uint8_t bytes[PCIDEV_CONF_SIZE])
{
    char path[64];
    int fd;

    snprintf(path, sizeof(path), "pci:%02x:%02x.%x/config", d->bus, d->dev, d->fn);
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return -errno;
    if (pread(fd, bytes, PCIDEV_CONF_SIZE, 0) != PCIDEV_CONF_SIZE) {
        close(fd);
        return -EIO;
    }
    return fd;
}
