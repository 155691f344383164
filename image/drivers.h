/* image/drivers.h: [drivers.NAME]: PCI drivers. Each is a service init
 * starts only when pcid reports a device its match names, with grants for
 * just that device's BARs (docs/drivers.md). */
#ifndef ANVIL_IMAGE_DRIVERS_H
#define ANVIL_IMAGE_DRIVERS_H

#include "manifest_check.h"

#define DRIVERS_PCI_SCHEME "pci"    /* what pcid provides */

/* The grants PID 1 must hold to hand drivers theirs (the PCI windows, dma,
 * MSI), NULL-terminated; the windows are also the table's driver_window line. */
extern const char *const drivers_pid1_grants[];

/* The [drivers] section: each entry becomes an mf_service with driver set. */
void drivers_section(struct mf_ctx *c, struct manifest *m, const struct toml_value *t);
/* A driver's match = { class = 0x010802, vendor = 0x1b36, device = 0x0010 } into *mt. */
void drivers_match(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                   struct mf_match *mt);
/* Without a service providing "pci" the drivers are dropped (no one would
 * find their devices); with one, each comes after it. */
void drivers_check(struct mf_ctx *c, struct manifest *m);
/* The table's top-level driver_window line, when there are drivers. */
void drivers_table(const struct manifest *m, struct strbuf *sb);

#endif
