/* kernel/boot/entry.S: from the loader's 32-bit protected mode to kmain in
 * the higher half. Both entries arrive with paging off, flat segments and
 * EBX = physical address of the boot information:
 *   boot_mb2_entry  multiboot2 (EAX = magic), Multiboot2 spec §3.3
 *   boot_pvh_entry  PVH (QEMU -kernel), docs/misc/pvh.pandoc in Xen
 * We clear the bss, build page tables (2 MiB pages; no 1 GiB pages, which
 * QEMU's default TCG CPU lacks), enter long mode and jump to the kernel's
 * linked address. */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "boot/boot_info.h"

#define V2P(x) ((x) - X86_KERNEL_VMA)

/* Control register and EFER bits, Intel SDM vol. 3A §2.5 and §2.2.1. */
#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
/* Paging-structure entry bits, Intel SDM vol. 3A §4.5. */
#define PTE_PRESENT 0x1
#define PTE_WRITE 0x2
#define PTE_LARGE 0x80
#define PTE_TABLE (PTE_PRESENT | PTE_WRITE)
#define PT_ENTRIES 512
/* CPUID.80000001H:EDX bit 29, Intel 64 architecture (long mode). */
#define CPUID_EXT_MAX 0x80000000
#define CPUID_EXT_FEATURES 0x80000001
#define CPUID_EXT_EDX_LM (1 << 29)

#define PML4_INDEX(va) (((va) >> 39) & 511)
#define PDPT_INDEX(va) (((va) >> 30) & 511)

/* Four page directories of 2 MiB pages map 4 GiB (X86_BOOT_MAP_SIZE). */
#define BOOT_PD_COUNT 4
#define BOOT_STACK_SIZE 16384

    .section .boot.text, "ax"
    .code32

    .global boot_mb2_entry
    .type boot_mb2_entry, @function
boot_mb2_entry:
    movl $BOOT_PROTO_MULTIBOOT2, %esi
    movl %eax, %ebp                     /* the multiboot2 magic */
    jmp boot_start32

    .global boot_pvh_entry
    .type boot_pvh_entry, @function
boot_pvh_entry:
    movl $BOOT_PROTO_PVH, %esi
    xorl %ebp, %ebp

/* Live from here to kmain: ESI = protocol, EBP = magic, EBX = info. */
boot_start32:
    cli
    cld
    movl $V2P(boot_stack_top), %esp
    pushl $0
    popfl                               /* a known EFLAGS (AC, DF, NT clear) */

    movl $V2P(__bss_start), %edi        /* loaders need not zero the bss */
    movl $V2P(__bss_end), %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    pushl %ebx                          /* cpuid clobbers EBX */
    movl $CPUID_EXT_MAX, %eax
    cpuid
    cmpl $CPUID_EXT_FEATURES, %eax
    jb boot_no_long_mode
    movl $CPUID_EXT_FEATURES, %eax
    cpuid
    testl $CPUID_EXT_EDX_LM, %edx
    jz boot_no_long_mode
    popl %ebx

    call boot_build_page_tables

    lgdt V2P(boot_gdt_ptr)
    movl $X86_SEL_KDATA, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $V2P(boot_pml4), %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP | CR0_PE), %eax
    movl %eax, %cr0                     /* now in compatibility mode */
    ljmp $X86_SEL_KCODE, $V2P(boot_start64)

/* Without long mode there is nothing we can run; no console exists yet. */
boot_no_long_mode:
    cli
1:  hlt
    jmp 1b

/* Identity map and direct map share one PDPT over BOOT_PD_COUNT page
 * directories of 2 MiB pages; the kernel's -2 GiB window reuses the first
 * two directories (physical 0..2 GiB). Clobbers EAX, ECX, EDI. */
boot_build_page_tables:
    movl $V2P(boot_pd), %edi
    movl $(PTE_PRESENT | PTE_WRITE | PTE_LARGE), %eax
    movl $(BOOT_PD_COUNT * PT_ENTRIES), %ecx
1:  movl %eax, (%edi)                   /* high half of each entry stays 0 */
    addl $X86_LARGE_PAGE_SIZE, %eax
    addl $8, %edi
    loop 1b

    movl $V2P(boot_pdpt_low), %edi
    movl $(V2P(boot_pd) + PTE_TABLE), %eax
    movl $BOOT_PD_COUNT, %ecx
2:  movl %eax, (%edi)
    addl $X86_PAGE_SIZE, %eax
    addl $8, %edi
    loop 2b

    movl $(V2P(boot_pd) + PTE_TABLE), \
         V2P(boot_pdpt_high) + 8 * PDPT_INDEX(X86_KERNEL_VMA)
    movl $(V2P(boot_pd) + X86_PAGE_SIZE + PTE_TABLE), \
         V2P(boot_pdpt_high) + 8 * (PDPT_INDEX(X86_KERNEL_VMA) + 1)

    movl $(V2P(boot_pdpt_low) + PTE_TABLE), V2P(boot_pml4)
    movl $(V2P(boot_pdpt_low) + PTE_TABLE), \
         V2P(boot_pml4) + 8 * PML4_INDEX(X86_DIRECT_MAP_BASE)
    movl $(V2P(boot_pdpt_high) + PTE_TABLE), \
         V2P(boot_pml4) + 8 * PML4_INDEX(X86_KERNEL_VMA)
    ret

    .code64
/* 64-bit, still running at the physical (identity-mapped) address. */
boot_start64:
    movabsq $boot_high, %rax
    jmp *%rax

    .section .text
boot_high:
    movq $boot_stack_top, %rsp
    movl %esi, %edi                     /* kmain(protocol, magic, info) */
    movl %ebp, %esi
    movl %ebx, %edx
    xorl %ebp, %ebp                     /* ends the frame-pointer chain */
    call kmain
1:  cli
    hlt
    jmp 1b

    .section .rodata
    .balign 8
/* Selectors as in arch/x86_64/gdt.h; x86_gdt_init replaces this table. */
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff            /* X86_SEL_KCODE: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff            /* X86_SEL_KDATA: flat data */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long V2P(boot_gdt)

    .section .bss
    .balign X86_PAGE_SIZE
boot_pml4:
    .skip X86_PAGE_SIZE
boot_pdpt_low:
    .skip X86_PAGE_SIZE
boot_pdpt_high:
    .skip X86_PAGE_SIZE
boot_pd:
    .skip X86_PAGE_SIZE * BOOT_PD_COUNT
    .balign 16
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:

    /* For kernel.ld's check that layout.h and the script agree. */
    .global boot_layout_kernel_vma
    .set boot_layout_kernel_vma, X86_KERNEL_VMA

    .section .note.GNU-stack, "", @progbits
