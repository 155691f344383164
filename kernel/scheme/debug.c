/* kernel/scheme/debug.c: the debug: scheme: the kernel console (serial and
 * framebuffer). Any path opens it (/dev/console leads here too) except
 * debug:input, the keyboard services' way in (console-input grant), and
 * debug:output, a console service's screen bytes (console-output). And tty:
 * (/dev/tty): the caller's controlling terminal, ENXIO without one. */
#include "fs/console.h"
#include "fs/console_input.h"
#include "fs/console_output.h"
#include "fs/tty.h"
#include "lib/string.h"
#include "lib/errno.h"
#include "scheme/kschemes.h"

static int debug_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                      struct file **out)
{
    (void)s, (void)mode;
    if (strcmp(path, CONSOLE_INPUT_PATH) == 0)
        return console_input_open(flags, out);
    if (strcmp(path, CONSOLE_OUTPUT_PATH) == 0)
        return console_output_open(flags, out);
    *out = console_file_open(flags & (O_ACCMODE | O_NONBLOCK | O_APPEND | O_NOCTTY));
    return *out ? 0 : -ENOMEM;
}

static int ctty_scheme_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                            struct file **out)
{
    (void)s, (void)path, (void)mode;
    return tty_ctty_open(flags & (O_ACCMODE | O_NONBLOCK | O_APPEND), out);
}

static const struct scheme_ops debug_ops = {.open = debug_open};
static struct scheme debug_scheme = {.name = "debug", .ops = &debug_ops};
static const struct scheme_ops tty_ops = {.open = ctty_scheme_open};
static struct scheme tty_scheme = {.name = "tty", .ops = &tty_ops};

void kscheme_debug_init(void)
{
    scheme_register(&debug_scheme);
    scheme_register(&tty_scheme);
}
