/* kernel/arch/x86_64/layout.h: where the kernel and the direct map live in
 * virtual memory. Included from C and from GNU as; kernel.ld repeats
 * X86_KERNEL_VMA and checks at link time that both agree. */
#ifndef ANVIL_ARCH_X86_64_LAYOUT_H
#define ANVIL_ARCH_X86_64_LAYOUT_H

/* The top 2 GiB, as -mcmodel=kernel requires; physical 0 appears here. */
#define X86_KERNEL_VMA 0xffffffff80000000
/* Physical load address (1 MiB, above the BIOS area). */
#define X86_KERNEL_LMA 0x100000

/* Physical memory is mapped at X86_DIRECT_MAP_BASE + phys (PML4 slot 256). */
#define X86_DIRECT_MAP_BASE 0xffff800000000000
/* What the early page tables map there (and identity): the first 4 GiB. */
#define X86_BOOT_MAP_SIZE 0x100000000

#define X86_PAGE_SIZE 0x1000
#define X86_LARGE_PAGE_SIZE 0x200000

#endif
