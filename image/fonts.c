/* image/fonts.c: [console] font, or by default Terminus 8x16 for screens
 * under 1280 pixels wide and 16x32 for wider ones (the kernel picks at boot,
 * when the width is known). The .psf.gz files are unpacked with gzip and
 * their headers checked, so a broken file stops the build, not the boot. */
#define _GNU_SOURCE
#include "fonts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "tools.h"
#include "util.h"

#define FONT_DIR "/usr/share/consolefonts"
#define FONT_SMALL "Uni2-Terminus16"       /* 8x16, PSF1 */
#define FONT_LARGE "Uni2-Terminus32x16"    /* 16x32, PSF2 */
#define FONT_MAX_BYTES (1u << 20)
#define PSF1_MAGIC "\x36\x04"
#define PSF2_MAGIC "\x72\xb5\x4a\x86"
#define PSF2_HEADER 32

/* The magic of either format and room for its header; the kernel checks the rest. */
static bool looks_like_psf(const struct strbuf *b)
{
    if (b->len >= PSF2_HEADER && !memcmp(b->buf, PSF2_MAGIC, 4))
        return true;
    return b->len > 4 && !memcmp(b->buf, PSF1_MAGIC, 2);
}

static int stage_one(const char *name, bool custom, const char *dir, const char *as,
                     struct sha256 *key)
{
    char *gz = xasprintf("%s/%s.psf.gz", FONT_DIR, name);
    char *dst = util_path_join(dir, as);
    char *argv[] = {"gzip", "-dc", gz, NULL};
    struct strbuf psf = {0};
    int ret = -1;

    if (custom && util_is_dir(FONT_DIR) && !util_is_file(gz)) {
        util_err("console.font: no font %s in %s", name, FONT_DIR);
        goto out;
    }
    if (tools_need_file(gz) < 0)
        goto out;
    if (util_run_capture(argv, &psf) != 0 || psf.len > FONT_MAX_BYTES || !looks_like_psf(&psf)) {
        util_err("%s: not a gzip-compressed PSF font of at most %u bytes", gz, FONT_MAX_BYTES);
        goto out;
    }
    if (util_write_scratch(dst, psf.buf, psf.len, 0644) < 0)
        goto out;
    cache_key_str(key, name);
    cache_key_file(key, dst);
    ret = 0;
out:
    sb_free(&psf);
    free(gz);
    free(dst);
    return ret;
}

int fonts_stage(const struct manifest *m, const char *dir, struct sha256 *key)
{
    bool custom = m->font != NULL;

    if (util_mkdirs(dir, 0755) < 0)
        return -1;
    if (stage_one(custom ? m->font : FONT_SMALL, custom, dir, "small.psf", key) < 0 ||
        stage_one(custom ? m->font : FONT_LARGE, custom, dir, "large.psf", key) < 0)
        return -1;
    return 0;
}
