/* kernel/scheme/debug.c: the debug: scheme: the kernel console (serial and
 * framebuffer). Any path opens it; /dev/console and /dev/tty lead here too. */
#include "fs/console.h"
#include "lib/errno.h"
#include "scheme/kschemes.h"

static int debug_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                      struct file **out)
{
    (void)s, (void)path, (void)mode;
    *out = console_file_open(flags & (O_ACCMODE | O_NONBLOCK | O_APPEND));
    return *out ? 0 : -ENOMEM;
}

static const struct scheme_ops debug_ops = {.open = debug_open};
static struct scheme debug_scheme = {.name = "debug", .ops = &debug_ops};

void kscheme_debug_init(void)
{
    scheme_register(&debug_scheme);
}
