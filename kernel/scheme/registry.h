/* kernel/scheme/registry.h: reserved scheme names. PID 1 reserves the names
 * its services provide (ANVIL_SYS_SCHEME_RESERVE); from then on registering
 * one needs it in the caller's provides set (proc/caps.h), served or not.
 * The list of registered schemes itself is in scheme.h. */
#ifndef ANVIL_SCHEME_REGISTRY_H
#define ANVIL_SCHEME_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "scheme/scheme.h"

/* Reserve n names (valid, see scheme_name_valid) until power-off: 0, or
 * -ENOSPC (and none) past ANVIL_RESERVED_MAX. A name reserved already is
 * no error. */
int scheme_reserve(const char (*names)[SCHEME_NAME_MAX + 1], size_t n);
bool scheme_reserved(const char *name);

#endif
