/* services/pcid/enumerate.h: finding every PCI function and sizing its BARs. */
#ifndef ANVIL_PCID_ENUMERATE_H
#define ANVIL_PCID_ENUMERATE_H

#include <stddef.h>

#include "pcidev.h"

#define PCI_FUNCS_MAX 64

/* Walk all buses through configuration space: the functions found (at most max). */
size_t pci_enumerate(struct pcidev *out, size_t max);

#endif
