/* services/pcid/confspace.c: configuration space reads and writes through
 * ports 0xCF8 (address) and 0xCFC (data). pcid is one thread, so the
 * address-then-data pair cannot be interleaved. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "confspace.h"
#include "portio.h"

#define CONF_ADDRESS 0xcf8
#define CONF_DATA 0xcfc
#define CONF_ENABLE 0x80000000u   /* bit 31: a configuration cycle */
#define CONF_PORTS "ioport:0xcf8-0xcff"

int conf_open(void)
{
    int fd = open(CONF_PORTS, O_RDWR);

    if (fd < 0)
        return -errno;
    close(fd);   /* the ports stay open for the process */
    return 0;
}

static void select_reg(struct pci_addr a, uint8_t off)
{
    port_out32(CONF_ADDRESS, CONF_ENABLE | (uint32_t)a.bus << 16 | (uint32_t)a.dev << 11 |
                             (uint32_t)a.fn << 8 | (off & 0xfc));
}

uint32_t conf_read32(struct pci_addr a, uint8_t off)
{
    select_reg(a, off);
    return port_in32(CONF_DATA);
}

void conf_write32(struct pci_addr a, uint8_t off, uint32_t v)
{
    select_reg(a, off);
    port_out32(CONF_DATA, v);
}

uint16_t conf_read16(struct pci_addr a, uint8_t off)
{
    select_reg(a, off);
    return port_in16((uint16_t)(CONF_DATA + (off & 2)));
}

void conf_write16(struct pci_addr a, uint8_t off, uint16_t v)
{
    select_reg(a, off);
    port_out16((uint16_t)(CONF_DATA + (off & 2)), v);
}
