/* kernel/boot/pvh_note.S: the ELF note that lets QEMU -kernel (and Xen) boot
 * the kernel through the PVH entry: XEN_ELFNOTE_PHYS32_ENTRY holds the
 * physical address of boot_pvh_entry (Xen public/elfnote.h, docs/misc/pvh.pandoc). */
#include "arch/x86_64/layout.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

    /* kernel.ld gives this section its own PT_NOTE segment. Keep its
     * alignment at 4: QEMU rounds the name size up to the segment's
     * alignment to find the descriptor. */
    .section .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f                       /* namesz */
    .long 4f - 3f                       /* descsz */
    .long XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz "Xen"
2:  .balign 4
    /* QEMU reads the entry as a 64-bit value in an ELF64 file. */
3:  .quad boot_pvh_entry - X86_KERNEL_VMA
4:  .balign 4

    .section .note.GNU-stack, "", @progbits
