/* services/pcid/msicap.h: the one part of a function's configuration space
 * besides the command register that pcid lets a driver write: its MSI
 * capability, only with messages aimed at the local APICs, and MSI-X's
 * enable and function-mask bits. */
#ifndef ANVIL_SERVICES_PCID_MSICAP_H
#define ANVIL_SERVICES_PCID_MSICAP_H

#include <stddef.h>
#include <stdint.h>

#include "confspace.h"

/* Write len bytes of buf at offset off of a's configuration space if that is
 * exactly one field of its MSI capability (or MSI-X's message control)
 * with an acceptable value: len, or -EPERM. */
long msicap_write(struct pci_addr a, size_t off, const void *buf, size_t len);

#endif
