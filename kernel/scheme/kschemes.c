/* kernel/scheme/kschemes.c: registering the kernel schemes at boot. pipe:
 * is a name only: pipes come from pipe(2). */
#include "scheme/kschemes.h"

static struct scheme pipe_scheme = {.name = "pipe", .ops = &(const struct scheme_ops){0}};

void scheme_init(void)
{
    kscheme_debug_init();
    kscheme_initfs_init();
    scheme_register(&pipe_scheme);
    kscheme_bytes_init();
    kscheme_sys_init();
    kscheme_proc_init();
    kscheme_time_init();
    kscheme_memory_init();
    kscheme_dma_init();
    kscheme_irq_init();
    kscheme_ioport_init();
    kscheme_shm_init();
    kscheme_pty_init();
}
