/* services/lib/vtkeys.h: what a terminal sends for a key: its character
 * in UTF-8, control bytes, and escape sequences for the other keys. */
#ifndef ANVIL_SERVICES_VTKEYS_H
#define ANVIL_SERVICES_VTKEYS_H

#include <anvil/input.h>
#include <stddef.h>

#define VTKEYS_MAX 16   /* the longest sequence, with an Alt prefix */

/* The bytes for a press or repeat into out (VTKEYS_MAX bytes): their count,
 * 0 for releases and keys that send nothing. */
size_t vtkeys_bytes(const struct anvil_input_event *ev, char *out);

#endif
