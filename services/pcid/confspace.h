/* services/pcid/confspace.h: PCI configuration space through the PCIe ECAM
 * window (memory-mapped, from sys:pci) or the legacy mechanism #1 ports
 * 0xCF8/0xCFC (PCI Local Bus 3.0 §3.2.2.3.2). */
#ifndef ANVIL_PCID_CONFSPACE_H
#define ANVIL_PCID_CONFSPACE_H

#include <stdint.h>

/* One function's address. */
struct pci_addr {
    uint8_t bus, dev, fn;
};

/* Map the ECAM window, else open the ports (ioport:0xcf8-0xcff): "ecam",
 * "ports", or NULL when neither is allowed. */
const char *conf_open(void);
uint32_t conf_read32(struct pci_addr a, uint8_t off);
void conf_write32(struct pci_addr a, uint8_t off, uint32_t v);
uint16_t conf_read16(struct pci_addr a, uint8_t off);
void conf_write16(struct pci_addr a, uint8_t off, uint16_t v);

#endif
