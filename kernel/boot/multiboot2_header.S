/* kernel/boot/multiboot2_header.S: the multiboot2 header GRUB looks for in
 * the first 32 KiB of the file (Multiboot2 spec §3.1, "OS image format").
 * kernel.ld puts section .multiboot2 first in the first loaded segment. */
#include "arch/x86_64/layout.h"

/* §3.1.2 "The magic fields of Multiboot2 header" */
#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0              /* 32-bit protected mode entry */
/* §3.1.3 onwards: header tag types */
#define MB2_HTAG_END 0
#define MB2_HTAG_ENTRY_ADDRESS 3
#define MB2_HTAG_FRAMEBUFFER 5
#define MB2_HTAG_MODULE_ALIGN 6
#define MB2_HTAG_OPTIONAL 1          /* flags bit 0: loader may ignore the tag */

/* The mode we ask for; GRUB falls back to what it has ("auto"). */
#define FB_WIDTH 1024
#define FB_HEIGHT 768
#define FB_DEPTH 32

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    /* magic + architecture + header_length + checksum == 0 (mod 2^32) */
    .long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

    /* Enter at the physical address of the 32-bit entry: the ELF entry
     * point is a higher-half virtual address. */
    .balign 8
    .short MB2_HTAG_ENTRY_ADDRESS, 0
    .long 12
    .long boot_mb2_entry - X86_KERNEL_VMA

    /* Ask for a linear framebuffer; optional so a text-only machine boots. */
    .balign 8
    .short MB2_HTAG_FRAMEBUFFER, MB2_HTAG_OPTIONAL
    .long 20
    .long FB_WIDTH, FB_HEIGHT, FB_DEPTH

    /* Page-aligned modules: the initfs can later be mapped in place. */
    .balign 8
    .short MB2_HTAG_MODULE_ALIGN, 0
    .long 8

    .balign 8
    .short MB2_HTAG_END, 0
    .long 8
mb2_header_end:

    .global boot_mb2_header
    .set boot_mb2_header, mb2_header

    .section .note.GNU-stack, "", @progbits
