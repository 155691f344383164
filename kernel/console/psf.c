/* kernel/console/psf.c: the kernel's entry to the PSF reader it shares with
 * fbcond (include/anvil/psf.h), in the kernel's errno convention. */
#ifdef ANVIL_FEATURE_FBCON

#include "console/psf.h"
#include "lib/errno.h"

int psf_parse(const uint8_t *data, size_t len, struct anvil_psf_font *f)
{
    return anvil_psf_parse(data, len, f) < 0 ? -EINVAL : 0;
}

const uint8_t *psf_glyph(const struct anvil_psf_font *f, unsigned char c)
{
    return anvil_psf_glyph(f, c);
}

#endif /* ANVIL_FEATURE_FBCON */
