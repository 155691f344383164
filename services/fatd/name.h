/* services/fatd/name.h: names on a FAT volume: long names in UTF-16 (shown as
 * UTF-8), 8.3 short names and how to make a unique one, and the checksum that
 * ties long-name entries to their short entry. Microsoft FAT spec §6-§7. */
#ifndef ANVIL_SERVICES_FATD_NAME_H
#define ANVIL_SERVICES_FATD_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAME_SHORT_LEN 11
#define NAME_NTRES_LOWER_BASE 0x08   /* DIR_NTRes: show the base in lower case */
#define NAME_NTRES_LOWER_EXT 0x10    /* ... and the extension */

/* UTF-8 to UTF-16 units: how many, or -EINVAL (bad UTF-8, more than max). */
int name_to_ucs2(const char *s, uint16_t *out, size_t max);
/* UTF-16 units to UTF-8 (NUL-terminated, cap bytes with it): 0 or -EINVAL. */
int name_from_ucs2(const uint16_t *u, size_t n, char *out, size_t cap);
/* The short entry for name when name is itself a valid 8.3 name whose base
 * and extension are each in one case (no long name needed); ntres gets the
 * lower-case flags. */
bool name_short_exact(const char *name, uint8_t sn[NAME_SHORT_LEN], uint8_t *ntres);
/* The basis short name for a long name (§7.2, without the numeric tail). */
void name_short_basis(const char *name, uint8_t sn[NAME_SHORT_LEN]);
/* Put the numeric tail ~n into a basis name. */
void name_short_tail(const uint8_t basis[NAME_SHORT_LEN], unsigned n, uint8_t sn[NAME_SHORT_LEN]);
/* "NAME.EXT" of a short entry, lowered as ntres says. */
void name_short_show(const uint8_t sn[NAME_SHORT_LEN], uint8_t ntres, char out[13]);
uint8_t name_checksum(const uint8_t sn[NAME_SHORT_LEN]);

#endif
