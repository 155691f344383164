/* kernel/scheme/kschemes.h: the kernel's own schemes, one file each; each
 * registers itself at boot (scheme_init in kschemes.c). */
#ifndef ANVIL_SCHEME_KSCHEMES_H
#define ANVIL_SCHEME_KSCHEMES_H

#include "scheme/scheme.h"

void kscheme_debug_init(void);
void kscheme_initfs_init(void);
void kscheme_bytes_init(void);
void kscheme_sys_init(void);
void kscheme_proc_init(void);
void kscheme_time_init(void);
void kscheme_memory_init(void);
/* dma: zeroed contiguous RAM for device DMA, with its physical address. */
void kscheme_dma_init(void);
void kscheme_irq_init(void);
struct textbuf;
/* sys:irqs: the open ISA lines and MSI vectors with their counts. */
void kscheme_irq_list(struct textbuf *tb);
void kscheme_ioport_init(void);
/* shm: named shared memory, also reached as /dev/shm (route.c). */
void kscheme_shm_init(void);
/* pty: pseudo-terminals, also reached as /dev/ptmx and /dev/pts (route.c). */
void kscheme_pty_init(void);

#endif
