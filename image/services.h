/* image/services.h: [services.NAME]: the daemons init starts: checked (program,
 * namespaces, grants, dependency cycles), built, and written as the service
 * table init reads (include/anvil/services.h). */
#ifndef ANVIL_IMAGE_SERVICES_H
#define ANVIL_IMAGE_SERVICES_H

#include "manifest_check.h"

/* The [services] section. */
void services_section(struct mf_ctx *c, struct manifest *m, const struct toml_value *t);
/* Each [services.NAME] of t (or, with driver, [drivers.NAME]) into m->services. */
void services_entries(struct mf_ctx *c, struct manifest *m, const struct toml_value *t,
                      bool driver);
void services_entry_free(struct mf_service *s);
/* Checks that need every section: names in uses and after exist, no cycles;
 * puts the services in dependency order. */
void services_check(struct mf_ctx *c, struct manifest *m);
/* For a valid manifest with services: the programs to build (init, svc and
 * each service's folder) and the table file in the image. */
void services_finish(struct manifest *m);
/* [init] grants = [...]: the run program's grants (memory:, irq:, ioport:,
 * power, signal, dma). */
void services_init_grants(struct mf_ctx *c, struct manifest *m, const struct toml_value *t);
/* PID 1's grants for the kernel command line: "KIND[:RANGE],...", the run
 * program's and every service's (NULL for none; caller frees). */
char *services_pid1_grants(const struct manifest *m);
/* The table's text (caller frees). */
char *services_table(const struct manifest *m);
void services_free(struct manifest *m);

#endif
