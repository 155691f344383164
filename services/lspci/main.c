/* services/lspci/main.c: lspci, pcid's pci: list made readable:
 *   lspci        one line a function: address, class name [code], ids, vendor
 *   lspci -v     and under it the legacy interrupt line and each BAR
 * Installed in every image that has pcid (docs/drivers.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pcidev.h"

#define LIST_MAX 16384
#define ANY_IF 0x100      /* a name for every programming interface of a subclass */

/* PCI Code and ID Assignment 1.11 §1: the classes drivers and people meet most. */
static const struct { unsigned class, sub, pif; const char *name; } names[] = {
    {0x00, 0x00, ANY_IF, "Unclassified device"},
    {0x01, 0x00, ANY_IF, "SCSI storage controller"},
    {0x01, 0x01, ANY_IF, "IDE interface"},
    {0x01, 0x05, ANY_IF, "ATA controller"},
    {0x01, 0x06, 0x01, "SATA controller (AHCI)"},
    {0x01, 0x06, ANY_IF, "SATA controller"},
    {0x01, 0x08, 0x02, "Non-volatile memory controller (NVMe)"},
    {0x01, 0x08, ANY_IF, "Non-volatile memory controller"},
    {0x01, 0xff, ANY_IF, "Mass storage controller"},
    {0x02, 0x00, ANY_IF, "Ethernet controller"},
    {0x02, 0x80, ANY_IF, "Network controller"},
    {0x03, 0x00, ANY_IF, "VGA compatible controller"},
    {0x03, 0x80, ANY_IF, "Display controller"},
    {0x04, 0x01, ANY_IF, "Multimedia audio controller"},
    {0x04, 0x03, ANY_IF, "Audio device"},
    {0x05, 0x00, ANY_IF, "RAM memory"},
    {0x06, 0x00, ANY_IF, "Host bridge"},
    {0x06, 0x01, ANY_IF, "ISA bridge"},
    {0x06, 0x04, ANY_IF, "PCI bridge"},
    {0x06, 0x80, ANY_IF, "Bridge"},
    {0x07, 0x00, ANY_IF, "Serial controller"},
    {0x08, 0x80, ANY_IF, "System peripheral"},
    {0x0c, 0x03, 0x30, "USB controller (xHCI)"},
    {0x0c, 0x03, 0x20, "USB controller (EHCI)"},
    {0x0c, 0x03, ANY_IF, "USB controller"},
    {0x0c, 0x05, ANY_IF, "SMBus"},
    {0x0d, 0x80, ANY_IF, "Wireless controller"},
};

static const struct { unsigned id; const char *name; } vendors[] = {
    {0x1022, "AMD"}, {0x10de, "NVIDIA"}, {0x10ec, "Realtek"}, {0x1234, "QEMU"},
    {0x144d, "Samsung"}, {0x14e4, "Broadcom"}, {0x15b7, "SanDisk"}, {0x1af4, "Red Hat (virtio)"},
    {0x1b36, "Red Hat (QEMU)"}, {0x8086, "Intel"},
};

static const char *class_name(uint32_t code)
{
    unsigned class = code >> 16, sub = (code >> 8) & 0xff, pif = code & 0xff;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].class == class && names[i].sub == sub &&
            (names[i].pif == ANY_IF || names[i].pif == pif))
            return names[i].name;
    return "Device";
}

static const char *vendor_name(uint16_t id)
{
    for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
        if (vendors[i].id == id)
            return vendors[i].name;
    return "";
}

/* A size as people say it: 32 bytes, 4 KiB, 16 MiB. */
static void size_text(uint64_t n, char *buf, size_t len)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB"};
    int u = 0;

    while (u < 3 && n >= 1024 && n % 1024 == 0)
        n /= 1024, u++;
    snprintf(buf, len, "%llu %s", (unsigned long long)n, units[u]);
}

static void show(const struct pcidev *d, int verbose)
{
    char size[32];

    printf("%02x:%02x.%x %s [%06x]: %04x:%04x %s\n", d->bus, d->dev, d->fn, class_name(d->class),
           (unsigned)d->class, d->vendor, d->device, vendor_name(d->vendor));
    if (!verbose)
        return;
    if (d->irq != PCIDEV_NO_IRQ)
        printf("\tinterrupt line %d\n", d->irq);
    for (int i = 0; i < PCIDEV_BARS; i++) {
        if (d->bar[i].kind == PCIDEV_BAR_NONE)
            continue;
        size_text(d->bar[i].size, size, sizeof(size));
        printf("\tbar%d %s at 0x%llx (%s)\n", i, d->bar[i].kind == PCIDEV_BAR_IO ? "I/O ports" :
               "memory", (unsigned long long)d->bar[i].base, size);
    }
}

int main(int argc, char **argv)
{
    static char list[LIST_MAX];
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0, fd;
    size_t n = 0;
    ssize_t r;

    if (argc > 2 || (argc == 2 && !verbose)) {
        fprintf(stderr, "usage: lspci [-v]\n");
        return 2;
    }
    if ((fd = open("pci:", O_RDONLY)) < 0) {
        fprintf(stderr, "lspci: pci: %s\n", strerror(errno));
        return 1;
    }
    while (n + 1 < sizeof(list) && (r = read(fd, list + n, sizeof(list) - 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    list[n] = '\0';
    for (char *save, *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct pcidev d;
        if (pcidev_parse(line, &d) == 0)
            show(&d, verbose);
    }
    return 0;
}
