/* services/pcid/confspace.c: configuration space reads and writes, through
 * the PCIe ECAM window when the kernel's sys:pci names one (from ACPI's
 * MCFG) and pcid holds a memory: grant for it, else through ports 0xCF8
 * (address) and 0xCFC (data). pcid is one thread, so the address-then-data
 * pair cannot be interleaved. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "confspace.h"
#include "portio.h"

#define CONF_ADDRESS 0xcf8
#define CONF_DATA 0xcfc
#define CONF_ENABLE 0x80000000u   /* bit 31: a configuration cycle */
#define CONF_PORTS "ioport:0xcf8-0xcff"
#define ECAM_BUS_SHIFT 20                 /* PCIe 5.0 §7.2.2: 1 MiB a bus, 32 KiB a device */
#define ECAM_DEV_SHIFT 15
#define ECAM_FN_SHIFT 12

/* The mapped ECAM window and the buses it covers (written once by conf_open). */
static volatile uint8_t *ecam;
static unsigned ecam_first, ecam_last;

/* Map the window sys:pci names: 0, or -errno (then the ports are used). */
static int ecam_open(void)
{
    char text[128], path[64];
    unsigned long long base;
    unsigned seg, first, last;
    size_t len;
    void *p;
    int fd, n;

    if ((fd = open("sys:pci", O_RDONLY | O_CLOEXEC)) < 0)
        return -errno;
    n = (int)read(fd, text, sizeof(text) - 1);
    close(fd);
    text[n > 0 ? n : 0] = '\0';
    if (sscanf(text, "ecam %llx %u %u %u", &base, &seg, &first, &last) != 4 || seg || last < first)
        return -ENODEV;
    len = (size_t)(last - first + 1) << ECAM_BUS_SHIFT;
    snprintf(path, sizeof(path), "memory:0x%llx/0x%zx", base, len);
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return -errno;
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return -errno;
    ecam = p, ecam_first = first, ecam_last = last;
    return 0;
}

const char *conf_open(void)
{
    int fd;

    if (ecam_open() == 0)
        return "ecam";
    if ((fd = open(CONF_PORTS, O_RDWR | O_CLOEXEC)) < 0)
        return NULL;
    close(fd);   /* the ports stay open for the process */
    return "ports";
}

/* The register's address in the ECAM window, or NULL: use the ports. */
static volatile void *ecam_reg(struct pci_addr a, uint8_t off)
{
    if (!ecam || a.bus < ecam_first || a.bus > ecam_last)
        return NULL;
    return ecam + ((size_t)(a.bus - ecam_first) << ECAM_BUS_SHIFT) +
           ((size_t)a.dev << ECAM_DEV_SHIFT) + ((size_t)a.fn << ECAM_FN_SHIFT) + off;
}

static void select_reg(struct pci_addr a, uint8_t off)
{
    port_out32(CONF_ADDRESS, CONF_ENABLE | (uint32_t)a.bus << 16 | (uint32_t)a.dev << 11 |
                             (uint32_t)a.fn << 8 | (off & 0xfc));
}

uint32_t conf_read32(struct pci_addr a, uint8_t off)
{
    volatile void *r = ecam_reg(a, off & 0xfc);

    if (r)
        return *(volatile uint32_t *)r;
    select_reg(a, off);
    return port_in32(CONF_DATA);
}

void conf_write32(struct pci_addr a, uint8_t off, uint32_t v)
{
    volatile void *r = ecam_reg(a, off & 0xfc);

    if (r) {
        *(volatile uint32_t *)r = v;
        return;
    }
    select_reg(a, off);
    port_out32(CONF_DATA, v);
}

uint16_t conf_read16(struct pci_addr a, uint8_t off)
{
    volatile void *r = ecam_reg(a, off & 0xfe);

    if (r)
        return *(volatile uint16_t *)r;
    select_reg(a, off);
    return port_in16((uint16_t)(CONF_DATA + (off & 2)));
}

void conf_write16(struct pci_addr a, uint8_t off, uint16_t v)
{
    volatile void *r = ecam_reg(a, off & 0xfe);

    if (r) {
        *(volatile uint16_t *)r = v;
        return;
    }
    select_reg(a, off);
    port_out16((uint16_t)(CONF_DATA + (off & 2)), v);
}
