/* kernel/scheme/grantcheck.h: parsing "0xSTART" / "START-END" ranges in
 * memory:, irq: and ioport: paths and checking them against the caller's
 * grants. */
#ifndef ANVIL_SCHEME_GRANTCHECK_H
#define ANVIL_SCHEME_GRANTCHECK_H

#include <stdint.h>

/* Parse "A" or "A-B" (decimal or 0x hex; "A?size=N" / "A/N" gives A..A+N-1)
 * into [*start, *end]: 0 or -EINVAL. */
int grant_parse_range(const char *path, uint64_t *start, uint64_t *end);
/* 0 when the running process holds [start, end] of kind, else -EACCES. */
int grant_check(uint32_t kind, uint64_t start, uint64_t end);

#endif
